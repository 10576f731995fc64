=== subject
Demande de rattachement à la structure {{companyName}}
=== text
Bonjour {{name}},

{{requesterName}} ({{requesterEmail}}) demande à être rattaché(e) à la structure {{companyName}} ({{identifierType}} {{identifier}}), dont vous êtes le gestionnaire principal.

C'est la demande n° {{attempt}} de cette personne pour cette structure (au plus {{maxAttempts}}).

Pour accepter la demande :
{{approveUrl}}

Pour refuser la demande :
{{refuseUrl}}

Sans décision de votre part avant le {{decideBy}} (heure de Paris), la demande sera classée sans suite.
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;"><strong>{{requesterName}}</strong> ({{requesterEmail}}) demande à être rattaché(e) à la structure <strong>{{companyName}}</strong> ({{identifierType}} {{identifier}}), dont vous êtes le gestionnaire principal.</p>
<p style="margin:0 0 16px 0;">C'est la demande <strong>n° {{attempt}}</strong> de cette personne pour cette structure (au plus {{maxAttempts}}).</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{approveUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Accepter</a></td><td style="width:16px;"></td><td style="background-color:#ce0500;border-radius:4px;"><a href="{{refuseUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Refuser</a></td></tr></table>
<p style="margin:0;">Sans décision de votre part avant le <strong>{{decideBy}}</strong> (heure de Paris), la demande sera classée sans suite.</p>
