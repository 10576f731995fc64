#!/usr/bin/env bash
# Checks the infrastructure offline and fails on ANY error or warning:
#   1. restores tools/Bicep (the Bicep CLI comes from the NuGet package
#      Azure.Bicep.CommandLine.linux-x64, never from a download);
#   2. for every .bicep file in the repository: `bicep build` and `bicep lint` must print
#      nothing (infra/bicepconfig.json raises extra rules), and `bicep format` must leave the
#      file unchanged;
#   3. infra/main.parameters.json only names parameters main.bicep declares, and covers every
#      parameter that has no default;
#   4. infra/settings.json and the Function App's app settings agree: every setting marked
#      "bicep" is set in infra/modules/functionapp.bicep, and every setting the Bicep sets is
#      listed.
# Usage: scripts/lint-infra.sh            (exit code 0 = clean)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool_project="$root/tools/Bicep/Bicep.csproj"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# --- 1. The Bicep CLI from the NuGet cache -------------------------------------------------
dotnet restore "$tool_project" --nologo --verbosity quiet >"$work/restore.log" 2>&1 || {
  cat "$work/restore.log" >&2
  echo "FAIL: could not restore $tool_project" >&2
  exit 1
}
bicep="$(dotnet msbuild "$tool_project" -nologo -getProperty:BicepCliPath | tr -d '\r' | tail -n 1)"
if [[ -z "$bicep" || ! -f "$bicep" ]]; then
  echo "FAIL: the Bicep CLI was not found after restore (BicepCliPath='$bicep')" >&2
  exit 1
fi
if [[ ! -x "$bicep" ]]; then
  # NuGet extraction does not always keep the executable bit.
  chmod +x "$bicep" 2>/dev/null || {
    cp "$bicep" "$work/bicep"
    chmod +x "$work/bicep"
    bicep="$work/bicep"
  }
fi
# The CLI is a self-contained .NET app; without ICU installed it needs invariant globalization.
if ! "$bicep" --version >"$work/version.txt" 2>&1; then
  export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
  "$bicep" --version >"$work/version.txt" 2>&1 || {
    cat "$work/version.txt" >&2
    echo "FAIL: $bicep does not run" >&2
    exit 1
  }
fi
echo "lint-infra: $(cat "$work/version.txt") ($bicep)"

# --- 2. build, lint and format every .bicep file --------------------------------------------
mapfile -d '' bicep_files < <(
  find "$root" \( -name .git -o -name node_modules -o -name bin -o -name obj -o -name .local \) -prune \
    -o -type f -name '*.bicep' -print0 | sort -z
)
if [[ ${#bicep_files[@]} -eq 0 ]]; then
  fail "no .bicep file found under $root"
fi

for file in "${bicep_files[@]}"; do
  rel="${file#"$root"/}"
  out="$work/json/${rel%.bicep}.json"
  mkdir -p "$(dirname "$out")"
  before=$failures

  if ! "$bicep" build "$file" --outfile "$out" >"$work/build.log" 2>&1 || [[ -s "$work/build.log" ]]; then
    cat "$work/build.log" >&2
    fail "bicep build $rel"
  fi

  if ! "$bicep" lint "$file" >"$work/lint.log" 2>&1 || [[ -s "$work/lint.log" ]]; then
    cat "$work/lint.log" >&2
    fail "bicep lint $rel"
  fi

  if ! "$bicep" format "$file" --stdout >"$work/format.bicep" 2>"$work/format.log" || [[ -s "$work/format.log" ]]; then
    cat "$work/format.log" >&2
    fail "bicep format $rel"
  elif ! diff -u "$file" "$work/format.bicep" >"$work/format.diff"; then
    cat "$work/format.diff" >&2
    fail "$rel is not formatted (run: bicep format $rel)"
  fi

  if [[ $failures -eq $before ]]; then
    echo "lint-infra: ok $rel"
  fi
done

# --- 3 and 4. parameters file and app settings ----------------------------------------------
main_json="$work/json/infra/main.json"
if [[ -f "$main_json" ]]; then
  if ! node - "$root" "$main_json" <<'NODE'
const fs = require('fs');
const path = require('path');
const [root, mainJsonPath] = process.argv.slice(2);
let problems = 0;
const problem = (m) => { console.error(`FAIL: ${m}`); problems++; };

// 3. main.parameters.json <-> main.bicep parameters
const template = JSON.parse(fs.readFileSync(mainJsonPath, 'utf8'));
const declared = template.parameters || {};
const paramsFile = JSON.parse(fs.readFileSync(path.join(root, 'infra/main.parameters.json'), 'utf8'));
const given = paramsFile.parameters || {};
for (const name of Object.keys(given)) {
  if (!(name in declared)) problem(`infra/main.parameters.json sets '${name}', which main.bicep does not declare`);
}
for (const [name, p] of Object.entries(declared)) {
  if (!('defaultValue' in p) && !(name in given)) problem(`main.bicep parameter '${name}' has no default and is missing from infra/main.parameters.json`);
}

// 4. infra/settings.json <-> app settings declared in functionapp.bicep
const settings = JSON.parse(fs.readFileSync(path.join(root, 'infra/settings.json'), 'utf8'));
if (!Array.isArray(settings)) problem('infra/settings.json must be a JSON array');
const allowed = new Set(['bicep', 'optional']);
const listed = new Map();
for (const s of settings) {
  for (const key of ['name', 'default', 'meaning', 'whereSetInAzure']) {
    if (!(key in s)) problem(`infra/settings.json: entry ${JSON.stringify(s.name)} lacks '${key}'`);
  }
  if (!allowed.has(s.whereSetInAzure)) problem(`infra/settings.json: '${s.name}' has whereSetInAzure '${s.whereSetInAzure}' (bicep | optional)`);
  if (listed.has(s.name)) problem(`infra/settings.json: '${s.name}' is listed twice`);
  listed.set(s.name, s);
}
// App settings are { name: '...' value: ... } pairs in the Bicep source.
const source = fs.readFileSync(path.join(root, 'infra/modules/functionapp.bicep'), 'utf8');
const pair = /^\s*name:\s*'([^']+)'\s*\r?\n\s*value:/gm;
const inBicep = new Set();
for (let m; (m = pair.exec(source));) inBicep.add(m[1]);
if (inBicep.size === 0) problem('found no app setting in infra/modules/functionapp.bicep');
for (const name of inBicep) {
  if (!listed.has(name)) problem(`app setting '${name}' is set in functionapp.bicep but missing from infra/settings.json`);
}
for (const s of settings) {
  if (s.whereSetInAzure === 'bicep' && !inBicep.has(s.name)) problem(`infra/settings.json says '${s.name}' is set by the Bicep, but functionapp.bicep does not set it`);
}
// The compiled template must carry them too (guards against the regex missing a form).
const compiled = fs.readFileSync(mainJsonPath, 'utf8');
for (const name of inBicep) {
  if (!compiled.includes(`"${name}"`) && !compiled.includes(`'${name}'`)) problem(`app setting '${name}' is absent from the compiled main.json`);
}
if (problems === 0) console.log(`lint-infra: ok infra/main.parameters.json (${Object.keys(given).length} parameters), infra/settings.json (${settings.length} settings, ${inBicep.size} set by the Bicep)`);
process.exit(problems === 0 ? 0 : 1);
NODE
  then
    fail "parameters / settings consistency"
  fi
else
  fail "infra/main.bicep was not built"
fi

if [[ $failures -ne 0 ]]; then
  echo "lint-infra: $failures problem(s)" >&2
  exit 1
fi
echo "lint-infra: clean (${#bicep_files[@]} Bicep files, 0 errors, 0 warnings)"
