using ChorusFunctions.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>
/// The pages a French public-facing form needs: every page's footer carries the accessibility mention in one of the
/// RGAA's three forms, linking to the déclaration d'accessibilité, and links to the mentions légales and the données
/// personnelles page. The site stays visibly not a State site.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LegalPagesBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    static readonly string WebRoot = Path.Combine(RepositoryRoot.Path, "src", "ChorusWeb");

    [Fact]
    public async Task Every_page_links_to_the_declaration_the_legal_notice_and_the_personal_data_page()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "pages-legales");
        IPage page = session.Page;
        foreach (string path in new[] { "/", "/activation", "/rattachement", "/accessibilite.html", "/mentions-legales.html", "/donnees-personnelles.html" })
        {
            await session.GotoAsync(path);
            ILocator footer = page.Locator("footer.site-footer");
            await Expect(footer.GetByRole(AriaRole.Link, new() { Name = "Accessibilité : non conforme" })).ToHaveAttributeAsync("href", "accessibilite.html");
            await Expect(footer.GetByRole(AriaRole.Link, new() { Name = "Mentions légales" })).ToHaveAttributeAsync("href", "mentions-legales.html");
            await Expect(footer.GetByRole(AriaRole.Link, new() { Name = "Données personnelles" })).ToHaveAttributeAsync("href", "donnees-personnelles.html");
        }

        await session.GotoAsync("/");
        await page.Locator("footer.site-footer").GetByRole(AriaRole.Link, new() { Name = "Accessibilité : non conforme" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Déclaration d'accessibilité");
        await Expect(page.Locator("main")).ToContainTextAsync("est non conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1");
        await Expect(page.Locator("main")).ToContainTextAsync("Voies de recours");
        await session.CheckScreenAsync("declaration-accessibilite");

        await session.GotoAsync("/mentions-legales.html");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mentions légales");
        await Expect(page.Locator("main")).ToContainTextAsync("Ce n'est pas Chorus Pro, ni un site de l'État");
        await session.CheckScreenAsync("mentions-legales");

        await session.GotoAsync("/donnees-personnelles.html");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Données personnelles");
        await Expect(page.Locator("main")).ToContainTextAsync("Combien de temps");
        await session.CheckScreenAsync("donnees-personnelles");
        session.AssertNoPageProblems();
    }

    [Fact]
    public void The_site_does_not_look_like_a_State_site()
    {
        foreach (string file in Directory.GetFiles(WebRoot, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal)))
        {
            string text = File.ReadAllText(file);
            Assert.DoesNotContain("Marianne", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("dsfr", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("République française", text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
