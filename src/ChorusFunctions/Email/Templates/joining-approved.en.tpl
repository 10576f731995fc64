=== subject
Your request to join {{companyName}} has been approved
=== text
Hello {{name}},

The main manager of the organisation {{companyName}} has approved your joining request. You now have access to this organisation's workspaces.

To sign in:

{{portalUrl}}
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">The main manager of the organisation <strong>{{companyName}}</strong> has approved your joining request. You now have access to this organisation's workspaces.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Sign in</a></td></tr></table>
