=== subject
Request to join the organisation {{companyName}}
=== text
Hello {{name}},

{{requesterName}} ({{requesterEmail}}) asks to join the organisation {{companyName}} ({{identifierType}} {{identifier}}), of which you are the main manager.

This is this person's request no. {{attempt}} for this organisation (at most {{maxAttempts}}).

To approve the request:
{{approveUrl}}

To refuse the request:
{{refuseUrl}}

If you have not decided by {{decideBy}} (Paris time), the request will lapse.
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;"><strong>{{requesterName}}</strong> ({{requesterEmail}}) asks to join the organisation <strong>{{companyName}}</strong> ({{identifierType}} {{identifier}}), of which you are the main manager.</p>
<p style="margin:0 0 16px 0;">This is this person's request <strong>no. {{attempt}}</strong> for this organisation (at most {{maxAttempts}}).</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{approveUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Approve</a></td><td style="width:16px;"></td><td style="background-color:#ce0500;border-radius:4px;"><a href="{{refuseUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Refuse</a></td></tr></table>
<p style="margin:0;">If you have not decided by <strong>{{decideBy}}</strong> (Paris time), the request will lapse.</p>
