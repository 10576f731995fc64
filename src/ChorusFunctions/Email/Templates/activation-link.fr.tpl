=== subject
Activez votre compte {{portalName}}
=== text
Bonjour {{name}},

Votre compte utilisateur {{loginEmail}} a été créé pour la structure {{companyName}}.
Pour l'activer, ouvrez le lien ci-dessous, puis choisissez votre mot de passe et votre question secrète :

{{link}}

Ce lien est valable jusqu'au {{linkExpiresAt}} (heure de Paris). Passé ce délai, vous pourrez demander un nouveau lien.

Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : le compte ne sera pas activé.
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Votre compte utilisateur <strong>{{loginEmail}}</strong> a été créé pour la structure <strong>{{companyName}}</strong>.</p>
<p style="margin:0 0 16px 0;">Pour l'activer, choisissez votre mot de passe et votre question secrète :</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{link}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Activer mon compte</a></td></tr></table>
<p style="margin:0 0 16px 0;">Ou copiez ce lien dans votre navigateur :<br><a href="{{link}}" style="color:#000091;word-break:break-all;">{{link}}</a></p>
<p style="margin:0 0 16px 0;">Ce lien est valable jusqu'au <strong>{{linkExpiresAt}}</strong> (heure de Paris). Passé ce délai, vous pourrez demander un nouveau lien.</p>
<p style="margin:0;">Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : le compte ne sera pas activé.</p>
