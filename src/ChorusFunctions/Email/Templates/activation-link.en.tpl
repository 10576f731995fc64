=== subject
Activate your {{portalName}} account
=== text
Hello {{name}},

Your user account {{loginEmail}} has been created for the organisation {{companyName}}.
To activate it, open the link below, then choose your password and your secret question:

{{link}}

This link is valid until {{linkExpiresAt}} (Paris time). After that, you can ask for a new link.

If you did not sign up, ignore this message: the account will not be activated.
=== html
<p style="margin:0 0 16px 0;">Hello {{name}},</p>
<p style="margin:0 0 16px 0;">Your user account <strong>{{loginEmail}}</strong> has been created for the organisation <strong>{{companyName}}</strong>.</p>
<p style="margin:0 0 16px 0;">To activate it, choose your password and your secret question:</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{link}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Activate my account</a></td></tr></table>
<p style="margin:0 0 16px 0;">Or copy this link into your browser:<br><a href="{{link}}" style="color:#000091;word-break:break-all;">{{link}}</a></p>
<p style="margin:0 0 16px 0;">This link is valid until <strong>{{linkExpiresAt}}</strong> (Paris time). After that, you can ask for a new link.</p>
<p style="margin:0;">If you did not sign up, ignore this message: the account will not be activated.</p>
