=== subject
Bienvenue sur {{portalName}}
=== text
Bonjour {{name}},

Votre compte utilisateur {{loginEmail}} est activé.
Votre demande de rattachement à la structure {{companyName}} a été transmise à son gestionnaire principal : vous recevrez un message dès qu'il l'aura examinée.

Pour vous connecter :

{{portalUrl}}
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Votre compte utilisateur <strong>{{loginEmail}}</strong> est activé.</p>
<p style="margin:0 0 16px 0;">Votre demande de rattachement à la structure <strong>{{companyName}}</strong> a été transmise à son gestionnaire principal : vous recevrez un message dès qu'il l'aura examinée.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Me connecter</a></td></tr></table>
