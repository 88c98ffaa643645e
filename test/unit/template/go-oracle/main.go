// Command go-oracle renders templates with Go's text/template, sprig v3.3.0 and Helm's toYaml and
// fromYaml, to record the expected outputs of the TypeScript engine's golden and error tests.
// It is not part of the test run; run it by hand when adding cases:
//
//	echo '{"t":"{{ .a | upper }}","d":{"a":"x"}}' | go run .
//
// Input: one JSON object per line, {"t": template, "d": data}. Output: one line per input,
// {"out": output, "err": error message}. Data conventions: integral JSON numbers become int,
// others float64; an object with a "__name" key becomes a map type with the methods GetName,
// GetNamespace and Greet(string), standing for the registry's objects with methods.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

// Obj is a map with methods, like the data objects the registry passes to templates.
type Obj map[string]any

func (o Obj) GetName() string       { s, _ := o["__name"].(string); return s }
func (o Obj) GetNamespace() string  { s, _ := o["__ns"].(string); return s }
func (o Obj) Greet(a string) string { return "hi " + a + " from " + o.GetName() }

func convert(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !strings.ContainsAny(s, ".eE") {
			i, _ := x.Int64()
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[k] = convert(e)
		}
		if _, ok := m["__name"]; ok {
			return Obj(m)
		}
		return m
	case []any:
		for i := range x {
			x[i] = convert(x[i])
		}
		return x
	}
	return v
}

// funcs is sprig's TxtFuncMap plus Helm's YAML functions (helm.sh/helm/v3/pkg/engine, v3.22).
func funcs() template.FuncMap {
	fm := sprig.TxtFuncMap()
	fm["toYaml"] = func(v any) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	fm["fromYaml"] = func(str string) map[string]any {
		m := map[string]any{}
		if err := yaml.Unmarshal([]byte(str), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	return fm
}

func render(text string, data any) (out string, errText string) {
	defer func() {
		if r := recover(); r != nil {
			errText = fmt.Sprintf("PANIC: %v", r)
		}
	}()
	t, err := template.New("t").Funcs(funcs()).Parse(text)
	if err != nil {
		return "", err.Error()
	}
	var sb strings.Builder
	if err := t.Execute(&sb, data); err != nil {
		return sb.String(), err.Error()
	}
	return sb.String(), ""
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var c struct {
			T string          `json:"t"`
			D json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			_ = enc.Encode(map[string]string{"err": "bad input: " + err.Error()})
			continue
		}
		var data any
		if len(c.D) > 0 {
			dec := json.NewDecoder(strings.NewReader(string(c.D)))
			dec.UseNumber()
			_ = dec.Decode(&data)
			data = convert(data)
		}
		out, errText := render(c.T, data)
		_ = enc.Encode(map[string]string{"out": out, "err": errText})
	}
}
