/**
 * Golden tests: each row is (template, data, expected output), where the expected output is what
 * Go's text/template with sprig v3.3.0's TxtFuncMap (plus Helm's toYaml and fromYaml) printed for
 * the same template and data, on Go 1.26: recorded by running ./go-oracle, not by this engine.
 * Data objects with a `__name` key stand for Go values with methods: they get GetName,
 * GetNamespace and Greet methods, as the oracle's map type has.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplate } from '../../../src/template/index.ts';

/** Give `__name` objects the methods the Go harness type had. */
function withMethods(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withMethods);
  if (v === null || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(v)) o[k] = withMethods(e);
  if ('__name' in o) {
    o.GetName = () => o.__name;
    o.GetNamespace = () => o.__ns ?? '';
    o.Greet = (who: string) => `hi ${who} from ${String(o.__name)}`;
  }
  return o;
}

const GOLDEN: Record<string, Array<[string, unknown, string]>> = {
  'text, trim markers and comments': [
    ['plain text, no actions', null, 'plain text, no actions'],
    ['a  {{- 1 -}}  b', null, 'a1b'],
    ['a {{- 2}} b {{3 -}} c', null, 'a2 b 3c'],
    ['{{/* a comment */}}x{{- /* trimmed */ -}}  y', null, 'xy'],
    ['{{- "start" }} and {{ "end" -}}', null, 'start and end'],
    ['{{ "multi-line" }}\n  {{- "trimmed newline" }}\nline 3', null, 'multi-linetrimmed newline\nline 3'],
  ],
  literals: [
    [
      "{{ 3.0 }} {{ 1e6 }} {{ 0x1F }} {{ 'a' }} {{ -5 }} {{ +5 }} {{ 1_000 }} {{ 0b101 }} {{ 0o17 }} {{ 017 }} {{ .5 }} {{ 1.5e-7 }} {{ 100000.5 }}",
      null,
      '3 1e+06 31 97 -5 5 1000 5 15 15 0.5 1.5e-07 100000.5',
    ],
    [
      '{{ "tab\\there" }}|{{ `raw\\n\\t` }}|{{ "\\u00e9\\x41" }}|{{ \'\\n\' }}|{{ true }}|{{ false }}',
      null,
      'tab\there|raw\\n\\t|éA|10|true|false',
    ],
    [
      '{{ 1234567.0 }} {{ 123456.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1e21 }}',
      null,
      '1.234567e+06 123456 0.0001 1e-05 1e+21',
    ],
  ],
  'fields, maps and methods': [
    [
      '{{ .a.b }}|{{ .missing }}|{{ .a.missing }}|{{ .missing.deeper }}',
      { a: { b: 'x' } },
      'x|<no value>|<no value>|<no value>',
    ],
    ['{{ .a }}', { a: null }, '<no value>'],
    ['{{ $.x }} {{ $ }}', { x: 1 }, '1 map[x:1]'],
    [
      '{{ . }}',
      { b: 2, a: 1, c: [1, 'x', null], d: { z: true } },
      'map[a:1 b:2 c:[1 x <nil>] d:map[z:true]]',
    ],
    ['{{ . }}', [1, 2.5, 's'], '[1 2.5 s]'],
    [
      '{{ .Object.GetName }} {{ .Object.Greet "bob" }} {{ .Object.metadata.name }}',
      { Object: { __name: 'kafka', metadata: { name: 'm' } } },
      'kafka hi bob from kafka m',
    ],
    [
      '{{ with .Object }}{{ .GetName }}/{{ .GetNamespace }}{{ end }}',
      { Object: { __name: 'kafka', __ns: 'prod' } },
      'kafka/prod',
    ],
    ['{{ "bob" | .Object.Greet }}', { Object: { __name: 'kafka' } }, 'hi bob from kafka'],
    ['{{ (.a).b }}|{{ (index .l 1).c }}', { a: { b: 1 }, l: [0, { c: 'y' }] }, '1|y'],
  ],
  variables: [
    ['{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}', null, '2'],
    ['{{ $x := "a" }}{{ with $y := "b" }}{{ $x }}{{ $y }}{{ . }}{{ end }}', null, 'abb'],
    ['{{ $v := .l }}{{ index $v 1 }}|{{ $v | len }}', { l: [5, 6] }, '6|2'],
  ],
  'if, with, else': [
    [
      '{{ if 1 }}x{{ else if 0 }}y{{ else }}z{{ end }}{{ with .a }}{{.}}{{ else with .b }}B{{.}}{{else}}none{{end}}',
      { b: 'bb' },
      'xBbb',
    ],
    [
      '{{ if "" }}a{{ else if 0 }}b{{ else if .e }}c{{ else if .m }}d{{ else if 0.0 }}e{{ else if false }}f{{ else }}h{{ end }}',
      { e: [], m: {} },
      'h',
    ],
    [
      '{{ if .s }}S{{ end }}{{ if .n }}N{{ end }}{{ if .l }}L{{ end }}{{ if .m }}M{{ end }}{{ if .t }}T{{ end }}',
      { s: 'x', n: -1, l: [0], m: { k: null }, t: true },
      'SNLMT',
    ],
    ['{{ with .missing }}yes{{ else }}no{{ end }}', null, 'no'],
    ['{{ if and .a .a.b }}yes{{ else }}no{{ end }}', {}, 'no'],
  ],
  range: [
    [
      '{{ range $i, $v := .l }}{{$i}}={{$v}};{{else}}empty{{end}}|{{range .m}}{{.}}{{end}}|{{range $k,$v := .m}}{{$k}}{{$v}}{{end}}',
      { l: ['a', 'b'], m: { z: 1, a: 2 } },
      '0=a;1=b;|21|a2z1',
    ],
    [
      '{{ range .l }}{{ if eq . 2 }}{{ continue }}{{end}}{{ if eq . 4 }}{{break}}{{end}}{{.}}{{end}}',
      { l: [1, 2, 3, 4, 5] },
      '13',
    ],
    [
      '{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}',
      null,
      '012|01|none',
    ],
    [
      '{{ range .missing }}x{{ else }}nothing{{ end }}|{{ range .e }}x{{ else }}empty{{ end }}',
      { e: [] },
      'nothing|empty',
    ],
    [
      '{{ range $k, $v := .m }}{{ $k }}:{{ range $v }}{{ . }}{{ end }} {{ end }}',
      { m: { b: [1, 2], a: [3] } },
      'a:3 b:12 ',
    ],
    ['{{ range $i, $v := .l }}{{ $.p }}{{ $i }}{{ end }}', { l: [1, 2], p: '-' }, '-0-1'],
  ],
  'define, template, block': [
    [
      '{{ define "T" }}[{{ . }}]{{ end }}{{ template "T" "a" }}{{ block "B" 1 }}<{{.}}>{{ end }}',
      null,
      '[a]<1>',
    ],
    [
      '{{ define "list" }}{{ range . }}({{ . }}){{ end }}{{ end }}{{ template "list" .l }}',
      { l: [1, 2] },
      '(1)(2)',
    ],
    [
      '{{ define "rec" }}{{ if gt . 0 }}{{ . }}{{ template "rec" (sub . 1) }}{{ end }}{{ end }}{{ template "rec" 3 }}',
      null,
      '321',
    ],
  ],
  'pipelines and parentheses': [
    [
      '{{ printf "%d-%s" "x" 3 }}|{{ 3 | printf "%d-%s" "x" }}',
      null,
      '%!d(string=x)-%!s(int=3)|%!d(string=x)-%!s(int=3)',
    ],
    [
      '{{ .a | printf "%s" }}|{{ (printf "%s" "ab") | len }}|{{ "x" | printf "%s%s" "y" | upper }}',
      { a: 'x' },
      'x|2|YX',
    ],
    [
      '{{ "a" | quote }}|{{ quote "a" 1 nil "b\\"c" }}|{{ squote "x" 2 }}',
      null,
      '"a"|"a" "1" "b\\"c"|\'x\' \'2\'',
    ],
    ['{{ .a | default "x" | upper }}', { a: 'yo' }, 'YO'],
  ],
  'Go builtins': [
    ['{{len "héllo"}}|{{ len .l }}|{{ len .m }}', { l: [1, 2, 3], m: { a: 1 } }, '6|3|1'],
    [
      '{{ index .m "a" "b" }}|{{ index "abc" 0 }}|{{ index .l 1 }}|{{ index .m "zz" }}|{{ index .l }}',
      { m: { a: { b: 5 } }, l: [7, 8] },
      '5|97|8|<no value>|[7 8]',
    ],
    [
      '{{ eq 1 1 2 }}|{{ eq .missing "x" }}|{{ eq 1 2 3 1 }}|{{ ne "a" "b" }}|{{ lt 1 2 }}|{{ le 2 2 }}|{{ gt 2.5 1.5 }}|{{ ge "b" "a" }}|{{ eq nil nil }}',
      null,
      'true|false|true|true|true|true|true|true|true',
    ],
    [
      '{{ and 1 0 2 }}|{{ or 0 "" "x" }}|{{ and 1 .missing }}|{{ or .missing 0 }}|{{ 0 | and 1 }}|{{ "" | or 1 }}|{{ not 0 }}|{{ not "x" }}',
      null,
      '0|x|<no value>|0|0|1|true|false',
    ],
    [
      '{{ html "<a href=\'x\'>&\\"" }}|{{ js "a\'b\\"c<>&=\\\\ é" }}|{{ urlquery "a b&c=d/é~" }}|{{ html nil }}|{{ urlquery 1 nil }}',
      null,
      '&lt;a href=&#39;x&#39;&gt;&amp;&#34;|a\\\'b\\"c\\u003C\\u003E\\u0026\\u003D\\\\ é|a+b%26c%3Dd%2F%C3%A9~|&lt;no value&gt;|1%3Cno+value%3E',
    ],
    ['{{ print 1 2 "a" "b" 3 nil }}|{{ println 1 "a" }}|{{ print }}|', null, '1 2ab3 <nil>|1 a\n||'],
  ],
  printf: [
    [
      '{{ printf "%5.2f|%-10s|%04d|%x|%X|%q|%t|%%|%s" 3.14159 "ab" 42 255 "hi" "a\\"b" true 1 }}',
      null,
      ' 3.14|ab        |0042|ff|6869|"a\\"b"|true|%|%!s(int=1)',
    ],
    [
      '{{ printf "%s %d" }}|{{ printf "%d" "x" 1 }}|{{printf "%!"}}|{{printf "%z" 1}}|{{ printf "%d" 1 2 3 }}|{{ printf "%" }}',
      null,
      '%!s(MISSING) %!d(MISSING)|%!d(string=x)%!(EXTRA int=1)|%!!(MISSING)|%!z(int=1)|1%!(EXTRA int=2, int=3)|%!(NOVERB)',
    ],
    [
      '{{ printf "%v" . }}',
      { b: 2, a: 1, c: [1, 'x', null], d: { z: true } },
      'map[a:1 b:2 c:[1 x <nil>] d:map[z:true]]',
    ],
    [
      '{{ printf "%s|%d|%v" .l .l .l }}',
      { l: [null, 1, 'a'] },
      '[<nil> %!s(int=1) a]|[<nil> 1 %!d(string=a)]|[<nil> 1 a]',
    ],
    [
      '{{ printf "%5v|%-4d|%x" .l .l .m }}',
      { l: [1, 'ab'], m: { k: 'v' } },
      '[    1    ab]|[1    %!d(string=ab  )]|map[6b:76]',
    ],
    [
      '{{ printf "%05s|%.2s|%5.1s|%q|%+q|%#q|%x|% x|%#x|%# X" "ab" "héllo" "xyz" "é\\t\\u00a0" "é" "a`b" "hi" "hi" "hi" "hi" }}',
      null,
      '000ab|hé|    x|"é\\t\\u00a0"|"\\u00e9"|"a`b"|6869|68 69|0x6869|0X68 0X69',
    ],
    [
      '{{ printf "%#08x|%+d|% d|%o|%#o|%b|%c|%q|%U|%#U|%08.3d|%.0d|%5.0d|" 255 5 5 8 8 5 65 65 233 233 -7 0 0 }}',
      null,
      "0x000000ff|+5| 5|10|010|101|A|'A'|U+00E9|U+00E9 'é'|    -007||     |",
    ],
    [
      '{{ printf "%e|%E|%.3e|%g|%.3g|%G|%f|%.0f|%.0f|%.0f|%8.3f|%-8.2f|%+.1f|%08.2f|% f" 1234.5678 0.000012 1.0 0.00001234 2.0 1e21 1.5 0.5 2.5 1.5 3.14159 2.5 3.0 -3.14159 1.0 }}',
      null,
      '1.234568e+03|1.200000E-05|1.000e+00|1.234e-05|2|1E+21|1.500000|0|2|2|   3.142|2.50    |+3.0|-0003.14| 1.000000',
    ],
    [
      '{{ printf "%v %v %v %v %v %v %v" 1e20 1e21 123456.0 1234567.0 0.0001 0.00001 -0.0 }}',
      null,
      '1e+20 1e+21 123456 1.234567e+06 0.0001 1e-05 -0',
    ],
    [
      '{{ printf "%[2]s %[1]s|%*d|%-*d|%.*f" "a" "b" 5 3 5 3 2 3.14159 }}',
      null,
      'b a|%!(BADWIDTH)5|5  |%!f(int=002)',
    ],
    [
      '{{ printf "%T %T %T %T %T %T %T" 1 1.5 "s" true nil .l .m }}',
      { l: [1], m: {} },
      'int float64 string bool <nil> []interface {} map[string]interface {}',
    ],
    [
      '{{ printf "%t|%v|%s|%d" true false true true }}|{{ printf "%5t|%5d|%-5s|" "x" "ab" 3 }}',
      null,
      'true|false|%!s(bool=true)|%!d(bool=true)|%!t(string=    x)|%!d(string=   ab)|%!s(int=3    )|',
    ],
    [
      '{{ printf "%6.2v|%.3v|%10v|%-10v|" 3.14159 "abcdef" .l .m }}',
      { l: [1, 2], m: { a: 1 } },
      '   3.1|abc|[         1          2]|map[a         :1         ]|',
    ],
    [
      '{{ printf "%.2f %.1f %.3f %.2f %.1f" 2.675 0.05 1.0005 1.005 0.25 }}|{{ printf "%.0f %.0f %.0f" 3.5 4.5 -0.5 }}',
      null,
      '2.67 0.1 1.000 1.00 0.2|4 4 -0',
    ],
    [
      '{{ printf "%.3g|%.10g|%g|%g|%.1g|%#v|%+v" 123456.0 1.0 100000.0 1000000.0 0.05 "s" 3 }}',
      null,
      '1.23e+05|1|100000|1e+06|0.05|"s"|3',
    ],
    [
      '{{ printf "%x|%X|%o|%b" -255 -255 -8 -5 }}|{{ printf "%s" nil }}|{{ printf "%d" nil }}|{{ printf "%v" nil }}',
      null,
      '-ff|-FF|-10|-101|%!s(<nil>)|%!d(<nil>)|<nil>',
    ],
    [
      '{{ printf "%v" 1e100 }}|{{ printf "%f" 1e22 }}|{{ printf "%.20f" 0.1 }}',
      null,
      '1e+100|10000000000000000000000.000000|0.10000000000000000555',
    ],
    [
      '{{ printf "%v" .missing }}|{{ printf "%q" \'x\' }}|{{ printf "%c" \'é\' }}|{{ printf "%x" "é" }}',
      null,
      "<nil>|'x'|é|c3a9",
    ],
  ],
  'sprig strings': [
    [
      '{{trunc -3 "abcdef"}}|{{trunc 3 "abcdef"}}|{{trunc 10 "ab"}}|{{trunc -10 "ab"}}|{{ trunc 0 "x" }}',
      null,
      'def|abc|ab|ab|',
    ],
    [
      '{{ nospace " a b\\tc" }}|{{ title "hello wORLD foo-bar" }}|{{ substr 1 3 "abcdef" }}|{{ substr -1 2 "abc" }}|{{ substr 1 -1 "abc" }}|{{ substr 2 99 "abc" }}',
      null,
      'abc|Hello WORLD Foo-Bar|bc|ab|bc|c',
    ],
    [
      '{{ repeat 3 "ab" }}|{{ "x" | repeat 2 }}|{{ indent 2 "a\\nb" }}|{{ nindent 2 "a" }}|{{ indent 0 "x" }}',
      null,
      'ababab|xx|  a\n  b|\n  a|x',
    ],
    [
      '{{ contains "b" "abc" }}|{{ hasPrefix "a" "abc" }}|{{ hasSuffix "c" "abc" }}|{{ replace "a" "X" "banana" }}|{{ trimAll "$" "$$a$" }}|{{ trimSuffix "-x" "a-x" }}|{{ trimPrefix "x-" "x-a" }}|{{ trim "  a  " }}|{{ lower "AbC" }}|{{ upper "é" }}',
      null,
      'true|true|true|bXnXnX|a|a|a|a|abc|É',
    ],
    [
      '{{ replace "" "-" "abc" }}|{{ "a.b.c" | replace "." "-" }}|{{ trimAll "ab" "abcba" }}',
      null,
      '-a-b-c-|a-b-c|c',
    ],
    [
      '{{ sha1sum "abc" }}|{{ sha256sum "" }}|{{ sha256sum "héllo" }}',
      null,
      'a9993e364706816aba3e25717850c26c9cd0d89d|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179',
    ],
    [
      '{{ b64enc "héllo" }}|{{ b64dec "aMOpbGxv" }}|{{ b64dec "!!" }}|{{ b64dec "YWI=" }}',
      null,
      'aMOpbGxv|héllo|illegal base64 data at input byte 0|ab',
    ],
    [
      '{{ toString 1 }}|{{ toString 1.5 }}|{{ toString nil }}|{{ toString .l }}|{{ toString true }}',
      { l: [1, 'a'] },
      '1|1.5|<nil>|[1 a]|true',
    ],
    [
      '{{ quote .missing }}|{{ squote nil }}|{{ quote 1.5 .l }}|{{ squote .l 3 }}|{{ cat "a" 1 nil "b" }}',
      { l: ['a'] },
      '||"1.5" "[a]"|\'[a]\' \'3\'|a 1 b',
    ],
  ],
  'sprig numbers': [
    [
      '{{ atoi "12" }}|{{ atoi "x" }}|{{ atoi "1.5" }}|{{ int "12" }}|{{ int "0x1f" }}|{{ int "010" }}|{{ int 3.9 }}|{{ int -3.9 }}|{{ int true }}|{{ int nil }}|{{ int "1.0" }}|{{ int64 "7" }}|{{ int "1.5" }}',
      null,
      '12|0|0|12|31|8|3|-3|1|0|1|7|0',
    ],
    [
      '{{ add 1 2 3 }}|{{ add }}|{{ sub 5 7 }}|{{ mul 2 3 4 }}|{{ div 7 2 }}|{{ div -7 2 }}|{{ mod -7 3 }}|{{ max 1 5 3 }}|{{ min 4 2 8 }}|{{ add 1.5 1.6 }}|{{ add "3" 4 }}|{{ add1 4 }}',
      null,
      '6|0|-2|24|3|-3|-1|5|2|2|7|5',
    ],
  ],
  'sprig defaults': [
    [
      '{{ empty 0 }}|{{ empty "" }}|{{ empty .l }}|{{ empty .m }}|{{ empty nil }}|{{ empty .missing }}|{{ empty false }}|{{ empty 1 }}|{{ empty 0.0 }}',
      { l: [], m: {} },
      'true|true|true|true|true|true|true|false|true',
    ],
    [
      '{{ default "d" .missing }}|{{ default "d" "" }}|{{ default "d" "v" }}|{{ "" | default "d" }}|{{ default "d" 0 }}|{{ default "d" }}|{{ coalesce 0 "" "x" }}|{{ coalesce }}|{{ coalesce 0 }}',
      null,
      'd|d|v|d|d|d|x|<no value>|<no value>',
    ],
    ['{{ ternary "y" "n" true }}|{{ ternary "y" "n" false }}|{{ true | ternary "a" "b" }}', null, 'y|n|a'],
  ],
  'sprig lists and dicts': [
    [
      '{{ list 1 "a" nil }}|{{ list }}|{{ dict "a" 1 "b" }}|{{ dict }}|{{ dict 1 2 }}',
      null,
      '[1 a <nil>]|[]|map[a:1 b:]|map[]|map[1:2]',
    ],
    [
      '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }}|{{ get $d "a" }}|{{ get $d "zz" }}|{{ hasKey $d "b" }}|{{ hasKey $d "c" }}',
      null,
      'map[a:1 b:2]|1||true|false',
    ],
    [
      '{{ keys (dict "b" 1 "a" 2 "c" 3) | sortAlpha }}|{{ join "," (list 1 "a" nil 2.5) }}|{{ join "-" "abc" }}|{{ join "," nil }}',
      null,
      '[a b c]|1,a,2.5|abc|',
    ],
    [
      '{{ split "," "a,b,,c" }}|{{ splitList "," "a,b,,c" }}|{{ (split "," "a,b")._1 }}|{{ splitList "" "abc" }}',
      null,
      'map[_0:a _1:b _2: _3:c]|[a b  c]|b|[a b c]',
    ],
    [
      '{{ slice .l 1 2 }}|{{ slice .l }}|{{ slice .e }}|{{ slice .l 2 }}',
      { l: [1, 2, 3], e: [] },
      '[2]|[1 2 3]|<no value>|[3]',
    ],
    ['{{ sortAlpha (list "b" "a" 3 "C") }}|{{ sortAlpha "x" }}', null, '[3 C a b]|[x]'],
  ],
  'sprig encoding and regex': [
    [
      '{{ toJson .m }}|{{ toJson "<a&b>" }}|{{ toJson 1.5 }}|{{ toJson 1e21 }}|{{ toJson 1e-7 }}|{{ toJson nil }}|{{ toJson .e }}',
      { m: { b: [1, 2], a: { x: null, y: 'z' } }, e: [] },
      '{"a":{"x":null,"y":"z"},"b":[1,2]}|"\\u003ca\\u0026b\\u003e"|1.5|1e+21|1e-7|null|[]',
    ],
    [
      '{{ toJson .o }}|{{ dict "a" (dict "b" 1) | toJson }}',
      { o: { '9': 2, '10': 1, a: [true, false] } },
      '{"10":1,"9":2,"a":[true,false]}|{"a":{"b":1}}',
    ],
    [
      '{{ fromJson "{\\"a\\":[1,2.5,\\"x\\",null,true]}" }}|{{ (fromJson "{\\"a\\":1}").a }}|{{ fromJson "bad" }}',
      null,
      'map[a:[1 2.5 x <nil> true]]|1|<no value>',
    ],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${1} is Go regexp replacement syntax
      '{{ regexMatch "^a.c$" "abc" }}|{{ regexMatch "(" "x" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}|{{ regexReplaceAll "(?P<n>b)" "abc" "[$n]" }}',
      null,
      'true|false|-W-xxW-|---|a[b]c',
    ],
    [
      '{{ regexReplaceAll "a*" "baaac" "X" }}|{{ regexReplaceAll "" "abc" "-" }}|{{ regexReplaceAll "(?i)AB" "xabAbaB" "_" }}|{{ regexMatch "^[[:alpha:]]+$" "abcZ" }}|{{ regexReplaceAll "\\\\s+" "a \\t b" " " }}|{{ regexReplaceAll "x" "axbx" "$$" }}',
      null,
      'XbXcX|-a-b-c-|x___|true|a b|a$b$',
    ],
    [
      '{{ regexMatch "^\\\\d{3}-\\\\w+$" "123-ab_c" }}|{{ regexMatch "(?i)^HELLO" "hello world" }}|{{ regexMatch "^(a+)+$" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" }}',
      null,
      'true|true|false',
    ],
  ],
  'printf: float forms and flags': [
    [
      '{{ printf "%b|%x|%X|%.3x|%x|%x" 2.5 2.5 -0.1 0.1 0.0 1e300 }}',
      null,
      '5629499534213120p-51|0x1.4p+01|-0X1.999999999999AP-04|0x1.99ap-04|0x0p+00|0x1.7e43c8800759cp+996',
    ],
    [
      '{{ printf "%#g|%#.3g|%#.0e|%#.0f|%#v|%#x" 1.0 2.0 5.0 3.0 1.5 1.0 }}',
      null,
      '1.00000|2.00|5.e+00|3.|1.5|0x1.0000p+00',
    ],
    [
      '{{ printf "%U|%#U|%.6U|%-8U|" -255 65 97 98 }}',
      null,
      "U+FFFFFFFFFFFFFF01|U+0041 'A'|U+000061|U+0062  |",
    ],
    ['{{ printf "%.*f|%*d|%.*d" -1 3.5 -4 7 2 5 }}', null, '%!(BADPREC)3.500000|7   |05'],
    ['{{ printf "%.1T|%8T|%-8T|" "s" 1 true }}', null, 's|     int|bool    |'],
    ['{{ printf "%v|%s" .big .big }}', { big: 1e300 }, '1e+300|%!s(float64=1e+300)'],
  ],
  'Helm toYaml and fromYaml': [
    [
      '{{ toYaml .v }}',
      {
        v: {
          b: ['x', 'y'],
          a: {
            n: 1,
            s: 'true',
            e: '',
            f: 1.5,
            long: 'aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr',
            ml: 'line1\nline2',
            y: 'yes',
            nul: null,
            num: '123',
            lst: [],
            m: {},
            on: 'off',
            t: '~',
            x: '1e3',
            z: '0777',
            c: ':x',
            h: '#h',
            sp: ' lead',
            q: "it's",
            col: 'a: b',
          },
        },
      },
      'a:\n  c: :x\n  col: \'a: b\'\n  e: ""\n  f: 1.5\n  h: \'#h\'\n  long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo\n    pppp qqqq rrrr\n  lst: []\n  m: {}\n  ml: |-\n    line1\n    line2\n  "n": 1\n  nul: null\n  num: "123"\n  "on": "off"\n  q: it\'s\n  s: "true"\n  sp: \' lead\'\n  t: "~"\n  x: "1e3"\n  "y": "yes"\n  z: "0777"\nb:\n- x\n- "y"',
    ],
    [
      '{{ toYaml .v }}|{{ toYaml 1e-7 }}|{{ toYaml 3.0 }}|{{ toYaml "1e3" }}|{{ toYaml "2024-01-02" }}|{{ toYaml "1:20" }}|{{ toYaml "0x1F" }}|{{ toYaml ".5" }}|{{ toYaml "+1" }}|{{ toYaml "1_000" }}|{{ toYaml "-" }}|{{ toYaml "0b101" }}|{{ toYaml true }}|{{ toYaml nil }}|{{ toYaml "a\\tb" }}|{{ toYaml "x: y" }}|{{ toYaml "- a" }}|{{ toYaml "é" }}|{{ toYaml "" }}',
      { v: { f: 1234567.5, g: 0.5, i: 1e21 } },
      'f: 1.2345675e+06\ng: 0.5\ni: 1e+21|1e-07|3|"1e3"|"2024-01-02"|"1:20"|"0x1F"|".5"|"+1"|"1_000"|\'-\'|"0b101"|true|null|"a\\tb"|\'x: y\'|\'- a\'|é|""',
    ],
    [
      '{{ toYaml (list 1 (list 2 3) (dict "a" (list 4) "b" (dict))) }}',
      null,
      '- 1\n- - 2\n  - 3\n- a:\n  - 4\n  b: {}',
    ],
    ['{{ toYaml (dict "k" (list (dict "a" 1 "b" 2) (dict "c" 3))) }}', null, 'k:\n- a: 1\n  b: 2\n- c: 3'],
    [
      '{{ toYaml "trailing\\n" }}|{{ toYaml "two\\n\\n" }}|{{ toYaml " lead\\nx" }}|{{ toYaml "x \\ny" }}',
      null,
      '|\n  trailing||+\n  two\n||2-\n   lead\n  x|"x \\ny"',
    ],
    [
      '{{ toYaml "2024-01-02T10:00:00Z" }}|{{ toYaml "12:30" }}|{{ toYaml "1.2.3" }}|{{ toYaml "v1" }}|{{ toYaml "0.5" }}|{{ toYaml "-1" }}|{{ toYaml "null" }}|{{ toYaml "Y" }}|{{ toYaml "@at" }}|{{ toYaml "*a" }}|{{ toYaml "a #b" }}|{{ toYaml "a# b" }}|{{ toYaml "[x]" }}|{{ toYaml "x,y" }}|{{ toYaml "?" }}',
      null,
      '"2024-01-02T10:00:00Z"|"12:30"|1.2.3|v1|"0.5"|"-1"|"null"|"Y"|\'@at\'|\'*a\'|\'a #b\'|a# b|\'[x]\'|x,y|\'?\'',
    ],
    [
      '{{ toYaml 100000.5 }}|{{ toYaml 0.0001 }}|{{ toYaml 0.00001 }}|{{ toYaml -2.5 }}|{{ toYaml 12345678.0 }}',
      null,
      '100000.5|0.0001|1e-05|-2.5|12345678',
    ],
    [
      '{{ $m := fromYaml "a: 1\\nb: [x, 2.5]\\nc: yes\\nd: 2024-01-02\\ne: ~\\nf: {g: h}" }}{{ $m }}|{{ printf "%T" $m.a }}|{{ $m.c }}|{{ $m.d }}',
      null,
      'map[a:1 b:[x 2.5] c:true d:2024-01-02 e:<nil> f:map[g:h]]|float64|true|2024-01-02',
    ],
    [
      '{{ fromYaml "" }}|{{ fromYaml "- a" }}|{{ fromYaml "x" }}',
      null,
      'map[]|map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]|map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}]',
    ],
    [
      '{{ fromYaml .s }}',
      {
        s: 'a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n1: one\ntrue: t\nf: on\ng: 0777\nh: 1_000\ni: 0x1F\nj: .5\nk: 1e3\nl: 12:30\nm: null\nn: [1, {o: p}]',
      },
      'map[1:one a:map[b:1] c:map[b:1] d:map[b:1 e:2] f:true false:[1 map[o:p]] g:511 h:1000 i:31 j:0.5 k:1000 l:12:30 m:<nil> true:t]',
    ],
    [
      '{{ (fromYaml .s).a.b }}|{{ printf "%T %v" (fromYaml .s).n (fromYaml .s).n }}',
      { s: 'a: {b: [1, 2]}\nn: 3' },
      '[1 2]|<nil> <nil>',
    ],
    [
      '{{ fromYaml .s }}',
      { s: '42' },
      'map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go value of type map[string]interface {}]',
    ],
    [
      '{{ fromYaml .s }}',
      { s: 'true' },
      'map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal bool into Go value of type map[string]interface {}]',
    ],
    ['{{ fromYaml .s }}', { s: '---\na: 1\n---\nb: 2' }, 'map[a:1]'],
    [
      '{{ toYaml (fromYaml .s) }}',
      { s: 'z: 1\na:\n  - x: y\n    w: 2\n  - [1, 2]\nm: |\n  text\n  more\n' },
      'a:\n- w: 2\n  x: true\n- - 1\n  - 2\nm: |\n  text\n  more\nz: 1',
    ],
  ],
};

for (const [section, rows] of Object.entries(GOLDEN)) {
  describe(`golden: ${section}`, () => {
    for (const [template, data, expected] of rows) {
      it(template, () => {
        assert.equal(renderTemplate(template, withMethods(data), { name: 't' }), expected);
      });
    }
  });
}
