=== subject
Welcome to {{portalName}}
=== text
Hello {{name}},

Your user account {{loginEmail}} is active.
You are the main manager (gestionnaire principal) of the organisation {{companyName}}: you will approve the joining requests of its other users.

To sign in:

{{portalUrl}}
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">Your user account <strong>{{loginEmail}}</strong> is active.</p>
<p style="margin:0 0 16px 0;">You are the main manager (gestionnaire principal) of the organisation <strong>{{companyName}}</strong>: you will approve the joining requests of its other users.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Sign in</a></td></tr></table>
