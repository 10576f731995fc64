=== subject
Votre rattachement à la structure {{companyName}} est accepté
=== text
Bonjour {{name}},

Le gestionnaire principal de la structure {{companyName}} a accepté votre demande de rattachement. Vous avez désormais accès aux espaces de cette structure.

Pour vous connecter :

{{portalUrl}}
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Le gestionnaire principal de la structure <strong>{{companyName}}</strong> a accepté votre demande de rattachement. Vous avez désormais accès aux espaces de cette structure.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Me connecter</a></td></tr></table>
