=== subject
Your request to join {{companyName}} has lapsed
=== text
Hello {{name}},

The main manager of the organisation {{companyName}} did not review your joining request in time: it has lapsed. Your account remains active.

You can file a new request from your account:

{{portalUrl}}
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">The main manager of the organisation <strong>{{companyName}}</strong> did not review your joining request in time: it has lapsed. Your account remains active.</p>
<p style="margin:0 0 16px 0;">You can file a new request from your account:</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Sign in</a></td></tr></table>
