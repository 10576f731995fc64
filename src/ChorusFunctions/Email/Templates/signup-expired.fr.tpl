=== subject
Votre inscription à {{portalName}} a expiré
=== text
Bonjour {{name}},

Le compte utilisateur {{loginEmail}} demandé pour la structure {{companyName}} n'a pas été activé à temps : l'inscription a expiré le {{expiredAt}} (heure de Paris).
Les informations saisies ont été supprimées et votre adresse peut de nouveau servir à créer un compte.

Pour recommencer l'inscription :

{{portalUrl}}
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Le compte utilisateur <strong>{{loginEmail}}</strong> demandé pour la structure <strong>{{companyName}}</strong> n'a pas été activé à temps : l'inscription a expiré le <strong>{{expiredAt}}</strong> (heure de Paris).</p>
<p style="margin:0 0 16px 0;">Les informations saisies ont été supprimées et votre adresse peut de nouveau servir à créer un compte.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Recommencer l'inscription</a></td></tr></table>
