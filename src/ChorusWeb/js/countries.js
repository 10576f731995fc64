// Pays (ISO 3166-1 alpha-2) avec leur nom français fourni par le navigateur (Intl.DisplayNames).

const CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** États membres de l'Union européenne. */
export const EU = new Set('AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '));

let names;
function displayNames() {
  if (names !== undefined) return names;
  try {
    names = new Intl.DisplayNames(['fr'], { type: 'region' });
  } catch {
    names = null;
  }
  return names;
}

export function countryName(code) {
  if (!code) return '';
  const dn = displayNames();
  try {
    return (dn && dn.of(code.toUpperCase())) || code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

/** Liste triée [{ code, name }] ; `filter` optionnel sur le code. */
export function countries(filter = () => true) {
  const collator = new Intl.Collator('fr');
  return CODES.filter(filter)
    .map((code) => ({ code, name: countryName(code) }))
    .sort((a, b) => collator.compare(a.name, b.name));
}

/** Remplit un <select> de pays (conserve la valeur choisie si possible). */
export function fillCountrySelect(select, { filter, placeholder = 'Sélectionnez un pays', value } = {}) {
  const current = value !== undefined ? value : select.value;
  select.replaceChildren();
  const empty = document.createElement('option');
  empty.value = '';
  empty.textContent = placeholder;
  select.append(empty);
  for (const { code, name } of countries(filter)) {
    const option = document.createElement('option');
    option.value = code;
    option.textContent = name;
    select.append(option);
  }
  select.value = current && [...select.options].some((o) => o.value === current) ? current : '';
}
