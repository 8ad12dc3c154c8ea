#!/usr/bin/env bash
# The man pages cover the program and the schema (host test, no root):
#
#   tests/host/manpage_test.sh BIN MANDIR
#
# iscsictl(8), rendered with man(1):
#  - every option of `BIN --help` is in OPTIONS; every subcommand of it has its own
#    subsection in COMMANDS, holding every option of `BIN SUB --help`;
#  - no subsection documents a long option its command does not have (stale pages);
#  - every exit status the sources define (kExit... = N) is in EXIT STATUS;
#  - the request's examples are there (-m session -i, -m node ... -I MAC --login, --reload).
# iscsictl.json(5): every key of json-schema/iscsictl.schema.json is an entry of its
# section, with its default, its range (minimum..maximum, minLength..maxLength bytes)
# and every enum value; every session and connection parameter with its open-iscsi key.
# One line per failure; exit 1 if any.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:?usage: manpage_test.sh BIN MANDIR}
mandir=${2:?usage: manpage_test.sh BIN MANDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Plain text, one paragraph per line (no wrapping, hence no hyphenation).
render() { LC_ALL=C MANWIDTH=2000 man -l "$1" 2>"$tmp/man.err" | col -b; }
render "$mandir/iscsictl.8" >"$tmp/iscsictl.8.txt"
render "$mandir/iscsictl.json.5" >"$tmp/iscsictl.json.5.txt"
[ -s "$tmp/iscsictl.8.txt" ] && [ -s "$tmp/iscsictl.json.5.txt" ] ||
	{ echo "FAIL manpage: cannot render $mandir: $(cat "$tmp/man.err")"; exit 1; }
if grep -q . "$tmp/man.err"; then
	echo "FAIL manpage: man(1) warnings: $(head -n 3 "$tmp/man.err")"
	exit 1
fi

# --help of the program and of every subcommand it lists.
"$bin" --help >"$tmp/help"
subs=$(sed -n '/^Subcommands:/,$p' "$tmp/help" | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$subs" ] || { echo "FAIL manpage: no subcommand in '$bin --help'"; exit 1; }
for s in $subs; do
	"$bin" "$s" --help >"$tmp/help.$s" 2>&1 || { echo "FAIL manpage: '$bin $s --help' failed"; exit 1; }
done

grep -hE '^[[:space:]]*(static )?inline constexpr int kExit[A-Za-z]+ *= *[0-9]+' -r "$repo/userspace" \
	--include='*.h' | sed 's/.*= *\([0-9]*\).*/\1/' | sort -un >"$tmp/exit-codes"

python3 - "$tmp" "$repo/json-schema/iscsictl.schema.json" $subs <<'PY'
import json, re, sys

tmp, schema_path, subs = sys.argv[1], sys.argv[2], sys.argv[3:]
failures = []

def fail(msg):
    failures.append(msg)

def sections(text):
    """{SECTION: [lines]} of a rendered page (section headings start in column 0)."""
    out, cur = {}, None
    for line in text.splitlines():
        if re.match(r'^[A-Z][A-Z -]*$', line):
            cur = line.strip()
            out[cur] = []
        elif cur:
            out[cur].append(line)
    return out

def options(help_text):
    """Option names (-c, --config, ...) of the Options: block of a --help."""
    names, on = [], False
    for line in help_text.splitlines():
        if re.match(r'^\S', line):
            on = line.startswith('Options:')
            continue
        m = re.match(r'^  (-\S+)', line) if on else None
        if m:
            names += [n for n in re.split(r',', re.split(r'[ =:]', m.group(1))[0]) if n]
    return names

def has_word(text, word):
    return re.search(r'(?<![\w-])' + re.escape(word) + r'(?!\w)(?!\.\d)', text) is not None

page = sections(open(f'{tmp}/iscsictl.8.txt').read())
for need in ('NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'COMMANDS', 'EXIT STATUS', 'FILES', 'EXAMPLES'):
    if need not in page:
        fail(f'iscsictl(8): no section {need}')
opts_text = '\n'.join(page.get('OPTIONS', []))
for o in options(open(f'{tmp}/help').read()):
    if not has_word(opts_text, o):
        fail(f'iscsictl(8): option {o} of --help is not in OPTIONS')

# COMMANDS: subsections are the lines indented by exactly 3 spaces.
blocks, cur = {}, None
for line in page.get('COMMANDS', []):
    m = re.match(r'^   (\S.*)$', line)
    if m:
        cur = m.group(1).strip()
        blocks[cur] = []
    elif cur:
        blocks[cur].append(line)
for s in subs:
    if s not in blocks:
        fail(f'iscsictl(8): subcommand {s} has no subsection in COMMANDS')
        continue
    text = '\n'.join(blocks[s])
    have = options(open(f'{tmp}/help.{s}').read())
    for o in have:
        if o not in ('-h', '--help') and not has_word(text, o):
            fail(f'iscsictl(8): option {o} of `{s} --help` is not in its subsection')
    for o in sorted(set(re.findall(r'(?<![\w-])--[a-z][a-z-]*', text))):
        if o not in have:
            fail(f'iscsictl(8): subsection {s} documents {o}, which `{s} --help` does not have')
for b in blocks:
    if b not in subs:
        fail(f'iscsictl(8): subsection {b} is not a subcommand of --help')

exit_text = '\n'.join(page.get('EXIT STATUS', []))
for code in open(f'{tmp}/exit-codes').read().split():
    if not re.search(rf'^       {code}$', exit_text, re.M):
        fail(f'iscsictl(8): exit status {code} (defined in userspace/) is not in EXIT STATUS')

examples = '\n'.join(page.get('EXAMPLES', []))
for pattern, what in ((r'iscsictl -m session -i', '-m session -i'),
                      (r'-m node -T \S+\s*\\?\s*-p \S+ -I ([0-9A-F]{2}:){5}[0-9A-F]{2} --login', '-m node -T -p -I MAC --login'),
                      (r'-m node -T \S+\s*\\?\s*-p \S+ --reload', '-m node -T -p --reload'),
                      (r'"iface": "([0-9A-F]{2}:){5}[0-9A-F]{2}"', 'a session per MAC')):
    if not re.search(pattern, examples):
        fail(f'iscsictl(8): EXAMPLES lack {what}')

# iscsictl.json(5) against the schema.
schema = json.load(open(schema_path))
defs = schema['definitions']
five = sections(open(f'{tmp}/iscsictl.json.5.txt').read())

def resolve(p):
    while '$ref' in p:
        merged = dict(defs[p['$ref'].split('/')[-1]])
        merged.update({k: v for k, v in p.items() if k != '$ref'})
        p = merged
    return p

def leaves(obj):
    """(dotted key, property schema) of an object schema; the parameter groups and the
    portal are flattened (auth.username, portal.port)."""
    for k, p in obj.get('properties', {}).items():
        r = resolve(p)
        if k in ('auth', 'timeo', 'err_timeo', 'iscsi', 'tcp', 'portal') and 'properties' in r:
            for k2, p2 in r['properties'].items():
                yield f'{k}.{k2}', resolve(p2)
        else:
            yield k, r

def entries(section):
    """{key: entry text}: a line indented by 7 spaces starts an entry; its heading may
    name several keys (a, b, c) and the open-iscsi key in parentheses."""
    out, cur = {}, None
    for line in five.get(section, []):
        m = re.match(r'^       (\S.*)$', line)
        if m:
            head = m.group(1)
            cur = [line]
            for k in re.split(r',\s*', re.sub(r'\s*\(.*$', '', head)):
                out.setdefault(k.strip(), cur)
        elif cur is not None:
            cur.append(line)
    return {k: '\n'.join(v) for k, v in out.items()}

def check(section, obj, open_iscsi=None):
    have = entries(section)
    if not have:
        fail(f'iscsictl.json(5): no section {section}')
        return
    for key, p in leaves(obj):
        text = have.get(key)
        if text is None:
            fail(f'iscsictl.json(5): {section}: no entry for {key}')
            continue
        flat = re.sub(r'\s+', ' ', text)
        if 'default' in p:
            d = p['default']
            d = json.dumps(d) if isinstance(d, bool) else str(d)
            if not re.search(rf'[Dd]efault:? {re.escape(d)}(?!\w)(?!\.\d)', flat):
                fail(f'iscsictl.json(5): {key}: default {d} not shown')
        for lo, hi, unit in (('minimum', 'maximum', ''), ('minLength', 'maxLength', ' bytes')):
            if lo in p and hi in p:
                rng = f"{p[lo]}..{p[hi]}"
                if rng not in flat and not (p[lo] == p[hi] and f'must be {p[lo]}' in flat):
                    fail(f'iscsictl.json(5): {key}: range {rng}{unit} not shown')
        for v in p.get('enum', []):
            if not has_word(flat, v):
                fail(f'iscsictl.json(5): {key}: value {v} not shown')
        if p.get('type') == 'boolean' and not re.search(r'[Bb]oolean', flat):
            fail(f'iscsictl.json(5): {key}: not said to be a boolean')
        # Secret files and the 2007 alias name a related open-iscsi key, not their own.
        if open_iscsi and key not in ('auth.password_file', 'auth.password_in_file',
                                      'err_timeo.reset_timeout'):
            want = open_iscsi + key
            if want not in flat:
                fail(f'iscsictl.json(5): {key}: open-iscsi key {want} not shown')

check('TOP-LEVEL KEYS', schema)
check('TARGET KEYS', defs['target'])
check('SESSION KEYS', {'properties': {k: v for k, v in defs['session']['properties'].items()
                                      if k in ('iface', 'conn_defaults', 'conns')}})
check('SESSION PARAMETERS', defs['session_params'], 'node.session.')
check('CONNECTION PARAMETERS', defs['conn_params'], 'node.conn[0].')
keys_text = '\n'.join(five.get('SESSION KEYS', []))
for k in ('mac', 'netdev', 'record', 'match'):
    if f'"{k}"' not in keys_text:
        fail(f'iscsictl.json(5): iface form {{"{k}": ...}} not shown')
for k in defs['iface_rule']['properties']:
    if f'"{k}"' not in keys_text:
        fail(f'iscsictl.json(5): iface rule condition "{k}" not shown')
for k in defs['session']['properties']:
    if not has_word(keys_text, k):
        fail(f'iscsictl.json(5): session key {k} not in SESSION KEYS')

for f in failures:
    print('FAIL manpage:', f)
n_opts = len(options(open(f'{tmp}/help').read())) + sum(
    len(options(open(f'{tmp}/help.{s}').read())) for s in subs)
print(f'manpage: {len(subs)} subcommands, {n_opts} options, '
      f'{sum(1 for _ in open(f"{tmp}/exit-codes"))} exit statuses, schema keys checked; '
      f'{len(failures)} failures')
sys.exit(1 if failures else 0)
PY
