=== subject
Someone tried to create an account with your address
=== text
Hello {{name}},

Someone tried to create an account with your address {{loginEmail}} on {{attemptedAt}} (Paris time).
A {{portalName}} account already exists for this address: no new account was created and your account was not changed.

If it was you, sign in with your existing account (use "Forgotten password" if needed):

{{portalUrl}}

If it was not you, you can ignore this message.
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">Someone tried to create an account with your address <strong>{{loginEmail}}</strong> on <strong>{{attemptedAt}}</strong> (Paris time).</p>
<p style="margin:0 0 16px 0;">A {{portalName}} account already exists for this address: no new account was created and your account was not changed.</p>
<p style="margin:0 0 16px 0;">If it was you, sign in with your existing account (use "Forgotten password" if needed):</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Sign in</a></td></tr></table>
<p style="margin:0;">If it was not you, you can ignore this message.</p>
