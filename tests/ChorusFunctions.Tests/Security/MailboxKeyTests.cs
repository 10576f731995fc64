using ChorusFunctions.Security.RateLimits;

namespace ChorusFunctions.Tests.Security;

public sealed class MailboxKeyTests
{
    [Theory]
    [InlineData("Jean.Dupont@Gmail.com", "jeandupont@gmail.com")]
    [InlineData("j.e.a.n.dupont+essai1@googlemail.com", "jeandupont@gmail.com")]
    [InlineData("ｊｅａｎ．ｄｕｐｏｎｔ@gmail.com", "jeandupont@gmail.com")]
    [InlineData("marie+factures@outlook.fr", "marie@outlook.fr")]
    [InlineData("marie.durand+x@entreprise.fr", "marie.durand+x@entreprise.fr")]
    [InlineData("Marie.Durand@Entreprise.FR", "marie.durand@entreprise.fr")]
    [InlineData("contact@société.fr", "contact@xn--socit-esab.fr")]
    [InlineData(" contact@exemple.fr. ", "contact@exemple.fr")]
    [InlineData("+tag@gmail.com", "+tag@gmail.com")]
    public void Spellings_that_reach_one_inbox_share_one_key(string address, string expected) =>
        Assert.Equal(expected, MailboxKey.Of(address));
}
