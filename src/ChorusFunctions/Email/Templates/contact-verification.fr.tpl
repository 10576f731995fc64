=== subject
Vérifiez votre adresse de contact pour la structure {{companyName}}
=== text
Bonjour {{name}},

Vous êtes gestionnaire principal de la structure {{companyName}} sur {{portalName}}, et vous avez indiqué l'adresse {{contactEmail}} comme adresse de contact. Tant qu'elle n'est pas vérifiée, les demandes de rattachement à votre structure ne sont envoyées qu'à votre adresse de connexion.

Pour vérifier cette adresse, ouvrez le lien ci-dessous puis confirmez (valable jusqu'au {{linkExpiresAt}}, heure de Paris) :

{{link}}

Liens de vérification encore possibles après celui-ci : {{remaining}}.

Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera envoyé à cette adresse.
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Vous êtes gestionnaire principal de la structure <strong>{{companyName}}</strong> sur {{portalName}}, et vous avez indiqué l'adresse <strong>{{contactEmail}}</strong> comme adresse de contact. Tant qu'elle n'est pas vérifiée, les demandes de rattachement à votre structure ne sont envoyées qu'à votre adresse de connexion.</p>
<p style="margin:0 0 16px 0;">Pour vérifier cette adresse, ouvrez le lien ci-dessous puis confirmez (valable jusqu'au {{linkExpiresAt}}, heure de Paris) :</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{link}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Vérifier mon adresse de contact</a></td></tr></table>
<p style="margin:0 0 16px 0;">Liens de vérification encore possibles après celui-ci : {{remaining}}.</p>
<p style="margin:0 0 16px 0;">Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera envoyé à cette adresse.</p>
