=== subject
Une tentative de création de compte a été faite avec votre adresse
=== text
Bonjour {{name}},

Une tentative de création de compte a été faite avec votre adresse {{loginEmail}} le {{attemptedAt}} (heure de Paris).
Un compte {{portalName}} existe déjà pour cette adresse : aucun nouveau compte n'a été créé et votre compte n'a pas été modifié.

Si c'était vous, connectez-vous avec votre compte existant (utilisez « Mot de passe oublié » si besoin) :

{{portalUrl}}

Si ce n'était pas vous, vous pouvez ignorer ce message.
=== html
<p style="margin:0 0 16px 0;">Bonjour {{name}},</p>
<p style="margin:0 0 16px 0;">Une tentative de création de compte a été faite avec votre adresse <strong>{{loginEmail}}</strong> le <strong>{{attemptedAt}}</strong> (heure de Paris).</p>
<p style="margin:0 0 16px 0;">Un compte {{portalName}} existe déjà pour cette adresse : aucun nouveau compte n'a été créé et votre compte n'a pas été modifié.</p>
<p style="margin:0 0 16px 0;">Si c'était vous, connectez-vous avec votre compte existant (utilisez « Mot de passe oublié » si besoin) :</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr><td style="background-color:#000091;border-radius:4px;"><a href="{{portalUrl}}" style="display:inline-block;padding:12px 20px;font-weight:bold;color:#ffffff;text-decoration:none;">Me connecter</a></td></tr></table>
<p style="margin:0;">Si ce n'était pas vous, vous pouvez ignorer ce message.</p>
