# Mise en page commune des emails en français : {{{body}}} reçoit le corps déjà rendu du modèle.
=== text
{{{body}}}

--
{{portalName}} — portail de facturation électronique
{{portalUrl}}
Ce message vous a été envoyé automatiquement.
=== html
<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f6f6f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f6f6f6;">
<tr>
<td align="center" style="padding:24px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:22px;color:#1e1e1e;">
<tr>
<td style="background-color:#000091;padding:20px 24px;font-size:20px;line-height:26px;font-weight:bold;color:#ffffff;">{{portalName}}</td>
</tr>
<tr>
<td style="padding:24px;">
{{{body}}}
</td>
</tr>
<tr>
<td style="padding:16px 24px;border-top:1px solid #dddddd;font-size:12px;line-height:18px;color:#666666;">{{portalName}} — portail de facturation électronique<br><a href="{{portalUrl}}" style="color:#666666;">{{portalUrl}}</a><br>Ce message vous a été envoyé automatiquement.</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
