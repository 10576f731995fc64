=== subject
Your request to join {{companyName}} has been refused
=== text
Hello {{name}},

The main manager of the organisation {{companyName}} has refused your joining request. Your account remains active, without access to this organisation's workspaces.

If you think this is a mistake, contact the organisation's main manager directly.
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">The main manager of the organisation <strong>{{companyName}}</strong> has refused your joining request. Your account remains active, without access to this organisation's workspaces.</p>
<p style="margin:0;">If you think this is a mistake, contact the organisation's main manager directly.</p>
