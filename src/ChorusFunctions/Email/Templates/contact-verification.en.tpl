=== subject
Verify your contact address for {{companyName}}
=== text
Hello {{name}},

You are the main manager of the organisation {{companyName}} on {{portalName}}, and you gave {{contactEmail}} as your contact address. Until it is verified, joining requests to your organisation are sent to your login address only.

To verify this address, open the link below and confirm (valid until {{linkExpiresAt}}, Paris time):

{{link}}

Verification links still possible after this one: {{remaining}}.

If you did not ask for this, ignore this message: nothing will be sent to this address.
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">You are the main manager of the organisation <strong>{{companyName}}</strong> on {{portalName}}, and you gave <strong>{{contactEmail}}</strong> as your contact address. Until it is verified, joining requests to your organisation are sent to your login address only.</p>
<p style="margin:0 0 16px 0;">To verify this address, open the link below and confirm (valid until {{linkExpiresAt}}, Paris time):</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{link}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Verify my contact address</a></td></tr></table>
<p style="margin:0 0 16px 0;">Verification links still possible after this one: {{remaining}}.</p>
<p style="margin:0 0 16px 0;">If you did not ask for this, ignore this message: nothing will be sent to this address.</p>
