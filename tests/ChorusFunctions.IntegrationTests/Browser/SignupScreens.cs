using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>The signup front end's screens, driven with the mouse (the keyboard test drives them itself).</summary>
public sealed class SignupScreens(BrowserSession session)
{
    public const string StrongPassword = "Facturé-2025!";

    IPage Page => session.Page;

    public ILocator Step(string id) => Page.Locator($"#{id}");

    public async Task OpenAsync()
    {
        await session.GotoAsync("/");
        await Expect(Step("step-1")).ToBeVisibleAsync();
    }

    public async Task IdentifyAsync(string email, string siret)
    {
        await Page.FillAsync("#loginEmail", email);
        await Page.FillAsync("#identifier", siret);
        await Page.ClickAsync("#identify-submit");
    }

    /// <summary>Fills step 2; the structure fields only when they are empty and editable (unknown SIRET).</summary>
    public async Task FillDetailsAsync(string email, string lastName = "Lucas", string firstName = "Georges")
    {
        await Expect(Step("step-2")).ToBeVisibleAsync();
        await Page.FillAsync("#loginEmailConfirmation", email);
        await Page.FillAsync("#lastName", lastName);
        await Page.FillAsync("#firstName", firstName);
        await FillIfEmptyAsync("#s-companyName", "ATELIERS DU TEST");
        await FillIfEmptyAsync("#s-address", "12 RUE DES ESSAIS");
        await FillIfEmptyAsync("#s-postalCode", "75011");
        await FillIfEmptyAsync("#s-city", "PARIS");
    }

    async Task FillIfEmptyAsync(string selector, string value)
    {
        ILocator input = Page.Locator(selector);
        if (!await input.IsEditableAsync() || (await input.InputValueAsync()).Length > 0)
        {
            return;
        }

        await input.FillAsync(value);
    }

    public async Task SubmitDetailsAsync()
    {
        await Page.ClickAsync("#details-submit");
        await Expect(Step("step-3")).ToBeVisibleAsync();
        await Expect(Page.Locator("#workspaces-body tr")).ToHaveCountAsync(9);
    }

    public async Task SubmitWorkspacesAsync()
    {
        await Page.ClickAsync("#workspaces-submit");
        await Expect(Page.Locator("#done-message")).ToBeVisibleAsync();
    }

    /// <summary>Steps 1 to 3 with the defaults: ends on the "compte créé" screen.</summary>
    public async Task SignupAsync(string email, string siret)
    {
        await OpenAsync();
        await IdentifyAsync(email, siret);
        await FillDetailsAsync(email);
        await SubmitDetailsAsync();
        await SubmitWorkspacesAsync();
    }

    public async Task OpenActivationAsync(string link)
    {
        await Page.GotoAsync(link);
        await Expect(Page.Locator("#view-form")).ToBeVisibleAsync();
    }

    public async Task FillActivationAsync(string password = StrongPassword, string? confirmation = null)
    {
        await Page.FillAsync("#password", password);
        await Page.FillAsync("#passwordConfirmation", confirmation ?? password);
        await Page.SelectOptionAsync("#secretQuestion", new SelectOptionValue { Index = 2 });
        await Page.FillAsync("#secretAnswer", "Évry");
    }

    /// <summary>The error shown under a field, and that it is tied to the field for assistive technologies.</summary>
    public async Task ExpectFieldErrorAsync(string inputId, string expectedText)
    {
        ILocator input = Page.Locator($"#{inputId}");
        await Expect(input).ToHaveAttributeAsync("aria-invalid", "true");
        string describedBy = await input.GetAttributeAsync("aria-describedby") ?? "";
        string? errorId = describedBy.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(id => id.EndsWith("-error", StringComparison.Ordinal));
        Assert.False(errorId is null, $"#{inputId} is not described by its error message (aria-describedby=\"{describedBy}\").");
        ILocator error = Page.Locator($"#{errorId}");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync(expectedText);
        await Expect(Page.Locator("#error-summary")).ToBeVisibleAsync();
        await Expect(Page.Locator("#error-summary")).ToHaveAttributeAsync("role", "alert");
        await Expect(Page.Locator("#error-summary")).ToContainTextAsync(expectedText);
    }
}
