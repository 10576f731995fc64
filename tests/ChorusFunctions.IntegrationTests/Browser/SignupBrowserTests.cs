using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChorusFunctions.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>The four screens of the guide, in a real browser, against the local stack.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SignupBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    const string TruffautSiret = "44942603000135";

    [GeneratedRegex("^(Satisfaisant|Bon|Très bon)$")]
    private static partial Regex AcceptableStrength();

    [GeneratedRegex("^(Très faible|Faible)$")]
    private static partial Regex WeakStrength();

    [Fact]
    public async Task Whole_signup_through_the_four_screens_ends_on_the_active_account_screen()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "signup");
        var screens = new SignupScreens(session);
        IPage page = session.Page;
        string email = Sirets.NewEmail("web");

        // 1. Identifiez-vous
        await screens.OpenAsync();
        await Expect(page.Locator("#steps li[aria-current=step]")).ToContainTextAsync("Identifiez-vous");
        await session.CheckScreenAsync("1-identifiez-vous");
        await screens.IdentifyAsync(email, Sirets.NewValid());

        // 2. Complétez les informations demandées
        await Expect(screens.Step("step-2")).ToBeVisibleAsync();
        await Expect(page.Locator("#d-loginEmail")).ToHaveValueAsync(email);
        await page.ClickAsync("#option-panel > summary");
        await Expect(page.Locator("#contactEmail")).ToHaveValueAsync(email);
        await Expect(page.Locator("#f-paymentRequests")).ToBeCheckedAsync();
        await Expect(page.Locator("#f-dume")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#s-address")).ToHaveAttributeAsync("aria-required", "true");
        await screens.FillDetailsAsync(email);
        await page.CheckAsync("#f-dume");
        await session.CheckScreenAsync("2-completez-les-informations");
        await screens.SubmitDetailsAsync();

        // 3. Ouvrez vos espaces de travail
        await Expect(page.Locator("#welcome")).ToHaveTextAsync("Bienvenue ATELIERS DU TEST");
        await Expect(page.Locator("#ws-FACTURES_EMISES-oui")).ToBeCheckedAsync();
        await Expect(page.Locator("#ws-SOLLICITATIONS_EMISES-oui")).ToBeCheckedAsync();
        await Expect(page.Locator("#ws-ENGAGEMENTS-non")).ToBeCheckedAsync();
        await page.CheckAsync("#ws-FACTURES_A_VALIDER-oui");
        await session.CheckScreenAsync("3-espaces-de-travail");
        await screens.SubmitWorkspacesAsync();
        await Expect(page.Locator("#done-message")).ToContainTextAsync(
            "Votre compte est créé et un courriel d'activation a été envoyé à l'adresse électronique que vous avez renseignée.");
        // The role is decided at activation: the first activated account of a structure becomes its gestionnaire principal.
        await Expect(page.Locator("#done-role")).ToContainTextAsync(
            "Si votre compte est le premier de votre structure à être activé, vous en deviendrez le gestionnaire principal");
        await session.CheckScreenAsync("3-compte-cree");

        // The signup as the API sees it.
        string signupId = await page.EvaluateAsync<string>("() => sessionStorage.getItem('chorus.signupId')");
        JsonElement signup = await session.SignupAsync(signupId);
        Assert.Equal("AwaitingActivation", signup.GetProperty("status").GetString());
        Assert.True(signup.GetProperty("features").GetProperty("dume").GetBoolean());
        Assert.Equal(
            ["FACTURES_A_VALIDER", "FACTURES_EMISES", "SOLLICITATIONS_EMISES"],
            signup.GetProperty("workspaces").EnumerateArray().Select(w => w.GetString()!).Order(StringComparer.Ordinal).ToArray());

        // 4. Activez votre compte utilisateur, from the link in the email.
        string link = await session.ActivationLinkAsync(email);
        await screens.OpenActivationAsync(link);
        await Expect(page.Locator("#sum-loginEmail")).ToHaveTextAsync(email);
        await Expect(page.Locator("#sum-lastName")).ToHaveTextAsync("Lucas");
        await Expect(page.Locator("#sum-firstName")).ToHaveTextAsync("Georges");
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        await screens.FillActivationAsync();
        await Expect(page.Locator("#strength-value")).ToHaveTextAsync(AcceptableStrength());
        await session.CheckScreenAsync("4-activez-votre-compte");
        await page.ClickAsync("#activate-submit");
        await Expect(page.Locator("#view-active")).ToBeVisibleAsync();
        await Expect(page.Locator("#view-active")).ToContainTextAsync("Votre compte est désormais actif");
        await session.CheckScreenAsync("4-compte-actif");

        signup = await session.SignupAsync(signupId);
        Assert.Equal("Active", signup.GetProperty("status").GetString());
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task Structure_fields_are_prefilled_from_the_company_register()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "prefill");
        var screens = new SignupScreens(session);
        await screens.OpenAsync();
        await screens.IdentifyAsync(Sirets.NewEmail("web"), "449 426 030 00135");

        await Expect(screens.Step("step-2")).ToBeVisibleAsync();
        IPage page = session.Page;
        await Expect(page.Locator("#s-identifier")).ToHaveValueAsync(TruffautSiret);
        await Expect(page.Locator("#s-companyName")).ToHaveValueAsync("ETS HORTICOLES GEORGES TRUFFAUT");
        await Expect(page.Locator("#s-postalCode")).ToHaveValueAsync("91100");
        await Expect(page.Locator("#s-city")).ToHaveValueAsync("CORBEIL-ESSONNES");
        await Expect(page.Locator("#s-country")).ToHaveValueAsync("FR");

        // Another test may already have created this structure: then it is read-only and a joining request is announced.
        bool exists = !await page.Locator("#s-address").IsEditableAsync();
        await Expect(page.Locator("#structure-notice")).ToContainTextAsync(exists ? "demande de rattachement" : "base INSEE");
        await session.CheckScreenAsync(exists ? "2-structure-existante" : "2-structure-preremplie");
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task An_invalid_siret_is_shown_on_the_identifier_field()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "invalid-siret");
        var screens = new SignupScreens(session);
        await screens.OpenAsync();

        // Refused by the page itself: not 14 digits.
        await screens.IdentifyAsync(Sirets.NewEmail("web"), "1234567890123");
        await screens.ExpectFieldErrorAsync("identifier", "14 chiffres");
        Assert.Equal("identifier", await session.FocusedIdAsync());

        // Refused by the API: 14 digits, wrong check digit.
        await session.Page.FillAsync("#identifier", "12345678901234");
        await session.Page.ClickAsync("#identify-submit");
        await screens.ExpectFieldErrorAsync("identifier", "SIRET n'est pas valide");
        Assert.Equal("identifier", await session.FocusedIdAsync());
        await Expect(screens.Step("step-1")).ToBeVisibleAsync();
        await session.CheckScreenAsync("1-siret-invalide");
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task A_mismatched_email_confirmation_is_shown_on_the_confirmation_field()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "email-confirmation");
        var screens = new SignupScreens(session);
        string email = Sirets.NewEmail("web");
        await screens.OpenAsync();
        await screens.IdentifyAsync(email, Sirets.NewValid());
        await screens.FillDetailsAsync(email);
        await session.Page.FillAsync("#loginEmailConfirmation", "autre." + email);
        await session.Page.ClickAsync("#details-submit");

        await screens.ExpectFieldErrorAsync("loginEmailConfirmation", "ne sont pas identiques");
        Assert.Equal("loginEmailConfirmation", await session.FocusedIdAsync());
        await Expect(screens.Step("step-2")).ToBeVisibleAsync();
        await session.CheckScreenAsync("2-confirmation-differente");

        // Corrected, the step goes through.
        await session.Page.FillAsync("#loginEmailConfirmation", email.ToUpperInvariant());
        await screens.SubmitDetailsAsync();
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task A_weak_password_is_shown_on_the_password_field_and_the_indicator_explains_the_rule()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "weak-password");
        var screens = new SignupScreens(session);
        IPage page = session.Page;
        string email = Sirets.NewEmail("web");
        await screens.SignupAsync(email, Sirets.NewValid());
        await screens.OpenActivationAsync(await session.ActivationLinkAsync(email));

        await page.FillAsync("#password", "motdepasse");
        await Expect(page.Locator("#strength-value")).ToHaveTextAsync(WeakStrength());
        await Expect(page.Locator("#rule-list [data-rule=classes]")).ToContainTextAsync("non respecté");
        await Expect(page.Locator("#rule-list [data-rule=minLength]")).ToContainTextAsync(": respecté");
        await screens.FillActivationAsync("motdepasse");
        await page.ClickAsync("#activate-submit");

        await screens.ExpectFieldErrorAsync("password", "trop faible");
        Assert.Equal("password", await session.FocusedIdAsync());
        await session.CheckScreenAsync("4-mot-de-passe-faible");

        // Accented letters count as special characters: "motdepassé1" has lower case, digits and specials.
        await screens.FillActivationAsync("motdepassé1");
        await Expect(page.Locator("#strength-value")).ToHaveTextAsync(AcceptableStrength());
        await page.FillAsync("#passwordConfirmation", "motdepassé2");
        await page.ClickAsync("#activate-submit");
        await screens.ExpectFieldErrorAsync("passwordConfirmation", "ne correspond pas");

        await page.FillAsync("#passwordConfirmation", "motdepassé1");
        await page.ClickAsync("#activate-submit");
        await Expect(page.Locator("#view-active")).ToBeVisibleAsync();
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task The_whole_signup_can_be_done_with_the_keyboard_alone()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "keyboard");
        IPage page = session.Page;
        IKeyboard keys = session.Keyboard;
        string email = Sirets.NewEmail("clavier");

        await session.GotoAsync("/");
        await Expect(page.Locator("#step-1")).ToBeVisibleAsync();

        // The skip link comes first.
        await keys.PressAsync("Tab");
        Assert.Equal("Aller au contenu", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));

        // Submitting empty moves the focus to the first invalid field.
        await session.TabToAsync("#identify-submit");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#loginEmail")).ToBeFocusedAsync();
        await keys.TypeAsync(email);
        await session.TabToAsync("#identifier");
        await keys.TypeAsync(Sirets.NewValid());
        await keys.PressAsync("Enter");

        await Expect(page.Locator("#step-2")).ToBeVisibleAsync();
        await Expect(page.Locator("#step-2-title")).ToBeFocusedAsync();
        await session.TabToAsync("#loginEmailConfirmation");
        await keys.TypeAsync(email);
        await session.TabToAsync("#lastName");
        await keys.TypeAsync("Martin");
        await session.TabToAsync("#firstName");
        await keys.TypeAsync("Léa");
        await session.TabToAsync("#option-panel > summary");
        await keys.PressAsync("Enter");
        await session.TabToAsync("#contactEmail");
        await Expect(page.Locator("#contactEmail")).ToHaveValueAsync(email);
        await session.TabToAsync("#s-companyName");
        await keys.TypeAsync("CLAVIER ET FILS");
        await session.TabToAsync("#s-address");
        await keys.TypeAsync("3 AVENUE DU CLAVIER");
        await session.TabToAsync("#s-postalCode");
        await keys.TypeAsync("69001");
        await session.TabToAsync("#s-city");
        await keys.TypeAsync("LYON");
        await session.TabToAsync("#f-dume");
        await keys.PressAsync("Space");
        await Expect(page.Locator("#f-dume")).ToBeCheckedAsync();
        await session.TabToAsync("#details-submit");
        await keys.PressAsync("Enter");

        await Expect(page.Locator("#step-3")).ToBeVisibleAsync();
        await Expect(page.Locator("#workspaces-body tr")).ToHaveCountAsync(9);
        await session.TabToAsync("#ws-ENGAGEMENTS-non");
        await keys.PressAsync("ArrowLeft");
        await Expect(page.Locator("#ws-ENGAGEMENTS-oui")).ToBeCheckedAsync();
        await session.TabToAsync("#workspaces-submit");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#done-message")).ToBeVisibleAsync();

        await page.GotoAsync(await session.ActivationLinkAsync(email));
        await Expect(page.Locator("#view-form")).ToBeVisibleAsync();
        await session.TabToAsync("#password");
        await keys.TypeAsync(SignupScreens.StrongPassword);
        await session.TabToAsync("#passwordConfirmation");
        await keys.TypeAsync(SignupScreens.StrongPassword);
        await session.TabToAsync("#secretQuestion");
        await keys.PressAsync("ArrowDown");
        await session.TabToAsync("#secretAnswer");
        await keys.TypeAsync("Médor");

        // The deactivation dialog opens and closes with the keyboard, giving the focus back.
        await session.TabToAsync("#deactivate");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#deactivate-dialog")).ToBeVisibleAsync();
        await Expect(page.Locator("#deactivate-no")).ToBeFocusedAsync();
        await keys.PressAsync("Escape");
        await Expect(page.Locator("#deactivate-dialog")).Not.ToBeVisibleAsync();
        await Expect(page.Locator("#deactivate")).ToBeFocusedAsync();

        await session.TabToAsync("#activate-submit");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#view-active")).ToBeVisibleAsync();
        await Expect(page.Locator("#active-title")).ToBeFocusedAsync();
        await session.ScreenshotAsync("4-compte-actif-clavier");
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task Every_screen_has_no_serious_or_critical_axe_violation()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "axe");
        var screens = new SignupScreens(session);
        IPage page = session.Page;
        string email = Sirets.NewEmail("axe");

        await screens.OpenAsync();
        await session.AssertAccessibleAsync("1-identifiez-vous");
        await page.CheckAsync("#noSiret");
        await page.CheckAsync("#type-HORS_UE");
        await session.AssertAccessibleAsync("1-sans-siret");
        await page.ClickAsync("#identify-submit");
        await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        await session.CheckScreenAsync("1-erreurs");
        await page.UncheckAsync("#noSiret");

        await screens.IdentifyAsync(email, Sirets.NewValid());
        await Expect(screens.Step("step-2")).ToBeVisibleAsync();
        await session.AssertAccessibleAsync("2-completez-les-informations");
        await page.ClickAsync("#details-submit");
        await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        await session.CheckScreenAsync("2-erreurs");
        await screens.FillDetailsAsync(email);
        await screens.SubmitDetailsAsync();
        await session.AssertAccessibleAsync("3-espaces-de-travail");
        await screens.SubmitWorkspacesAsync();
        await session.AssertAccessibleAsync("3-compte-cree");

        string link = await session.ActivationLinkAsync(email);
        await screens.OpenActivationAsync(link);
        await session.AssertAccessibleAsync("4-activez-votre-compte");
        await page.ClickAsync("#activate-submit");
        await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        await session.CheckScreenAsync("4-erreurs");
        await page.ClickAsync("#deactivate");
        await Expect(page.Locator("#deactivate-dialog")).ToBeVisibleAsync();
        await session.CheckScreenAsync("4-confirmation-desactivation");
        await page.ClickAsync("#deactivate-no");

        await screens.FillActivationAsync();
        await page.ClickAsync("#activate-submit");
        await Expect(page.Locator("#view-active")).ToBeVisibleAsync();
        await session.AssertAccessibleAsync("4-compte-actif");

        await page.GotoAsync(link);
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await session.CheckScreenAsync("4-lien-utilise");

        // Small screens too (reflow).
        await page.SetViewportSizeAsync(390, 844);
        await session.GotoAsync("/");
        await Expect(page.Locator("#step-final")).ToBeVisibleAsync();
        await page.ClickAsync("#final-restart");
        await screens.IdentifyAsync(Sirets.NewEmail("axe"), Sirets.NewValid());
        await Expect(screens.Step("step-2")).ToBeVisibleAsync();
        await session.CheckScreenAsync("2-mobile");
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task A_replaced_link_shows_a_clear_page_offering_a_new_link()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "new-link");
        var screens = new SignupScreens(session);
        IPage page = session.Page;
        string email = Sirets.NewEmail("lien");
        await screens.SignupAsync(email, Sirets.NewValid());
        string first = await session.ActivationLinkAsync(email, 1);

        await page.ClickAsync("#resend-link");
        await Expect(page.Locator("#resend-status")).ToContainTextAsync("nouveau courriel d’activation");
        string second = await session.ActivationLinkAsync(email, 2);
        Assert.NotEqual(first, second);

        await page.GotoAsync(first);
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await Expect(page.Locator("#invalid-title")).ToHaveTextAsync("Ce lien d'activation n'est plus valide");
        await Expect(page.Locator("#new-link")).ToBeVisibleAsync();
        await session.CheckScreenAsync("4-lien-remplace");
        await page.ClickAsync("#new-link");
        await Expect(page.Locator("#new-link-status")).ToContainTextAsync("nouveau courriel d’activation");
        string third = await session.ActivationLinkAsync(email, 3);

        await page.GotoAsync(second);
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await screens.OpenActivationAsync(third);
        await screens.FillActivationAsync();
        await page.ClickAsync("#activate-submit");
        await Expect(page.Locator("#view-active")).ToBeVisibleAsync();

        // A used link cannot give a new one.
        await page.GotoAsync(third);
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await Expect(page.Locator("#new-link")).ToBeHiddenAsync();
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task The_signup_cookie_stays_out_of_scripts_and_another_browser_asks_a_new_link_with_the_link_alone()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "cookie");
        var screens = new SignupScreens(session);
        IPage page = session.Page;
        string email = Sirets.NewEmail("cookie-navigateur");
        await screens.SignupAsync(email, Sirets.NewValid());
        string first = await session.ActivationLinkAsync(email, 1);

        // The browser holds the signup's cookie, for the signup's path only, out of reach of scripts.
        string signupId = await page.EvaluateAsync<string>("() => sessionStorage.getItem('chorus.signupId')");
        BrowserContextCookiesResult cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "chorus_signup");
        Assert.Equal($"/api/signups/{signupId}", cookie.Path);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain("chorus_signup", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);

        await page.ClickAsync("#resend-link");
        await Expect(page.Locator("#resend-status")).ToContainTextAsync("nouveau courriel d’activation");
        string second = await session.ActivationLinkAsync(email, 2);

        // The first email opened in another browser, which has no cookie: its link asks for a new one by itself.
        await using BrowserSession elsewhere = await fixture.NewSessionAsync(output, "cookie-ailleurs");
        Assert.Empty(await elsewhere.Page.Context.CookiesAsync());
        await elsewhere.Page.GotoAsync(first);
        await Expect(elsewhere.Page.Locator("#view-invalid")).ToBeVisibleAsync();
        await elsewhere.Page.ClickAsync("#new-link");
        await Expect(elsewhere.Page.Locator("#new-link-status")).ToContainTextAsync("nouveau courriel d’activation");
        string third = await session.ActivationLinkAsync(email, 3);
        Assert.NotEqual(second, third);

        // Without the cookie, the signup itself is out of reach of that browser.
        IAPIResponse stranger = await elsewhere.Page.APIRequest.GetAsync(new Uri(session.BaseUrl, $"api/signups/{signupId}").ToString());
        Assert.Equal(404, stranger.Status);
        session.AssertNoPageProblems();
        elsewhere.AssertNoPageProblems();
    }

    [Fact]
    public async Task Going_back_keeps_what_was_typed_and_a_reload_resumes_the_signup()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "resume");
        var screens = new SignupScreens(session);
        IPage page = session.Page;
        string email = Sirets.NewEmail("reprise");
        string siret = Sirets.NewValid();
        await screens.OpenAsync();
        await screens.IdentifyAsync(email, siret);
        await screens.FillDetailsAsync(email, "Dupont", "Marie");

        await page.ClickAsync("#details-back");
        await Expect(screens.Step("step-1")).ToBeVisibleAsync();
        await Expect(page.Locator("#loginEmail")).ToHaveValueAsync(email);
        await Expect(page.Locator("#identifier")).ToHaveValueAsync(siret);
        await page.ClickAsync("#identify-submit");
        await Expect(screens.Step("step-2")).ToBeVisibleAsync();
        await Expect(page.Locator("#lastName")).ToHaveValueAsync("Dupont");
        await Expect(page.Locator("#firstName")).ToHaveValueAsync("Marie");
        await screens.SubmitDetailsAsync();
        await page.CheckAsync("#ws-SUIVI_FLUX-oui");

        await page.ClickAsync("#workspaces-back");
        await Expect(screens.Step("step-2")).ToBeVisibleAsync();
        await Expect(page.Locator("#loginEmailConfirmation")).ToHaveValueAsync(email);
        await page.ClickAsync("#details-submit");
        await Expect(screens.Step("step-3")).ToBeVisibleAsync();
        await Expect(page.Locator("#ws-SUIVI_FLUX-oui")).ToBeCheckedAsync();

        // A reload comes back to step 3 with the details read from the API.
        await page.ReloadAsync();
        await Expect(screens.Step("step-3")).ToBeVisibleAsync();
        await Expect(page.Locator("#welcome")).ToHaveTextAsync("Bienvenue ATELIERS DU TEST");
        await page.ClickAsync("#workspaces-back");
        await Expect(page.Locator("#lastName")).ToHaveValueAsync("Dupont");
        await page.ClickAsync("#details-submit");
        await screens.SubmitWorkspacesAsync();

        // And after step 3, a reload shows the "compte créé" screen.
        await page.ReloadAsync();
        await Expect(page.Locator("#step-done")).ToBeVisibleAsync();
        await Expect(page.Locator("#done-message")).ToBeVisibleAsync();
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task Deactivating_cancels_the_signup_and_frees_the_email()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "deactivation");
        var screens = new SignupScreens(session);
        IPage page = session.Page;
        string email = Sirets.NewEmail("desactivation");
        await screens.SignupAsync(email, Sirets.NewValid());
        await screens.OpenActivationAsync(await session.ActivationLinkAsync(email));

        await page.ClickAsync("#deactivate");
        await page.ClickAsync("#deactivate-yes");
        await Expect(page.Locator("#view-deactivated")).ToBeVisibleAsync();
        await session.CheckScreenAsync("4-compte-desactive");

        await session.GotoAsync("/");
        await Expect(page.Locator("#step-final-title")).ToHaveTextAsync("Votre inscription a été annulée");
        await page.ClickAsync("#final-restart");
        await screens.IdentifyAsync(email, Sirets.NewValid());
        await Expect(screens.Step("step-2")).ToBeVisibleAsync();
        session.AssertNoPageProblems();
    }
}
