=== subject
Votre demande de rattachement à la structure {{companyName}} est refusée
=== text
Bonjour {{name}},

Le gestionnaire principal de la structure {{companyName}} a refusé votre demande de rattachement. Votre compte reste actif, sans accès aux espaces de cette structure.

Si vous pensez qu'il s'agit d'une erreur, contactez directement le gestionnaire principal de la structure.
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Le gestionnaire principal de la structure <strong>{{companyName}}</strong> a refusé votre demande de rattachement. Votre compte reste actif, sans accès aux espaces de cette structure.</p>
<p style="margin:0;">Si vous pensez qu'il s'agit d'une erreur, contactez directement le gestionnaire principal de la structure.</p>
