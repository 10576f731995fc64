=== subject
Your {{portalName}} signup has expired
=== text
Hello {{name}},

The user account {{loginEmail}} requested for the organisation {{companyName}} was not activated in time: the signup expired on {{expiredAt}} (Paris time).
The details you entered have been deleted and your address can be used to create an account again.

To sign up again:

{{portalUrl}}
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">The user account <strong>{{loginEmail}}</strong> requested for the organisation <strong>{{companyName}}</strong> was not activated in time: the signup expired on <strong>{{expiredAt}}</strong> (Paris time).</p>
<p style="margin:0 0 16px 0;">The details you entered have been deleted and your address can be used to create an account again.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Sign up again</a></td></tr></table>
