=== subject
Votre demande de rattachement à la structure {{companyName}} est classée sans suite
=== text
Bonjour {{name}},

Le gestionnaire principal de la structure {{companyName}} n'a pas examiné votre demande de rattachement dans le délai prévu : elle est classée sans suite (demande n° {{attempt}} sur {{maxAttempts}} possibles). Votre compte reste actif, sans accès aux espaces de cette structure.

Vous pouvez renouveler votre demande à partir du {{renewFrom}} (heure de Paris) avec ce lien, valable jusqu'au {{renewUntil}} ; le gestionnaire principal saura qu'il s'agit de votre demande n° {{nextAttempt}} :
{{renewUrl}}
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Le gestionnaire principal de la structure <strong>{{companyName}}</strong> n'a pas examiné votre demande de rattachement dans le délai prévu : elle est classée sans suite (demande n° {{attempt}} sur {{maxAttempts}} possibles). Votre compte reste actif, sans accès aux espaces de cette structure.</p>
<p style="margin:0 0 16px 0;">Vous pouvez renouveler votre demande à partir du <strong>{{renewFrom}}</strong> (heure de Paris) avec ce lien, valable jusqu'au {{renewUntil}} ; le gestionnaire principal saura qu'il s'agit de votre demande n° {{nextAttempt}}.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{renewUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Renouveler ma demande</a></td></tr></table>
