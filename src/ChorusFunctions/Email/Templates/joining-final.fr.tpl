=== subject
Votre demande de rattachement à la structure {{companyName}} n'a pas abouti
=== text
Bonjour {{name}},

Votre demande de rattachement à la structure {{companyName}} {{outcome}}.

C'était votre demande n° {{attempt}}, la dernière possible ({{maxAttempts}} au plus) : vous ne pouvez plus en déposer pour cette structure. Votre compte reste actif, sans accès aux espaces de cette structure ; pour aller plus loin, adressez-vous au gestionnaire principal ou au support du portail.
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Votre demande de rattachement à la structure <strong>{{companyName}}</strong> {{outcome}}.</p>
<p style="margin:0;">C'était votre demande n° {{attempt}}, la dernière possible ({{maxAttempts}} au plus) : vous ne pouvez plus en déposer pour cette structure. Votre compte reste actif, sans accès aux espaces de cette structure ; pour aller plus loin, adressez-vous au gestionnaire principal ou au support du portail.</p>
