=== subject
Votre demande de rattachement à la structure {{companyName}} est classée sans suite
=== text
Bonjour {{name}},

Le gestionnaire principal de la structure {{companyName}} n'a pas examiné votre demande de rattachement dans le délai prévu : elle est classée sans suite. Votre compte reste actif.

Vous pouvez déposer une nouvelle demande depuis votre compte :

{{portalUrl}}
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Le gestionnaire principal de la structure <strong>{{companyName}}</strong> n'a pas examiné votre demande de rattachement dans le délai prévu : elle est classée sans suite. Votre compte reste actif.</p>
<p style="margin:0 0 16px 0;">Vous pouvez déposer une nouvelle demande depuis votre compte :</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Me connecter</a></td></tr></table>
