=== subject
Your request to join {{companyName}} did not succeed
=== text
Hello {{name}},

Your request to join the organisation {{companyName}} {{outcome}}.

It was your request no. {{attempt}}, the last one allowed (at most {{maxAttempts}}): you cannot file another for this organisation. Your account remains active, without access to this organisation's workspaces; to go further, contact the main manager or the portal's support.
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">Your request to join the organisation <strong>{{companyName}}</strong> {{outcome}}.</p>
<p style="margin:0;">It was your request no. {{attempt}}, the last one allowed (at most {{maxAttempts}}): you cannot file another for this organisation. Your account remains active, without access to this organisation's workspaces; to go further, contact the main manager or the portal's support.</p>
