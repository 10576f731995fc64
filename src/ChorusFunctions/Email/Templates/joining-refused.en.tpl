=== subject
Your request to join {{companyName}} has been refused
=== text
Hello {{name}},

The main manager of the organisation {{companyName}} has refused your joining request (request no. {{attempt}} of at most {{maxAttempts}}). Your account remains active, without access to this organisation's workspaces.

If you think this is a mistake, talk to the main manager, then renew your request from {{renewFrom}} (Paris time) with this link, valid until {{renewUntil}}; the main manager will see it is your request no. {{nextAttempt}}:
{{renewUrl}}
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">The main manager of the organisation <strong>{{companyName}}</strong> has refused your joining request (request no. {{attempt}} of at most {{maxAttempts}}). Your account remains active, without access to this organisation's workspaces.</p>
<p style="margin:0 0 16px 0;">If you think this is a mistake, talk to the main manager, then renew your request from <strong>{{renewFrom}}</strong> (Paris time) with this link, valid until {{renewUntil}}; the main manager will see it is your request no. {{nextAttempt}}.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{renewUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Renew my request</a></td></tr></table>
