// Command go-oracle renders templates with Go's text/template, sprig v3.3.0 and Helm's toYaml and
// fromYaml. It recorded the golden tests' expectations, and the differential test
// (../differential.test.ts) builds and runs it on every `make test`. By hand:
//
//	echo '{"t":"{{ .a | upper }}","d":{"a":"x"}}' | go run .
//
// Input: one JSON object per line, {"t": template, "d": data, "m": model, "n": repeats}. Output:
// one line per input, {"out": output, "err": error message, "ns": nanoseconds per render}.
// Data conventions: integral JSON numbers become int, others float64; an object with a "__name"
// key becomes a map type with the methods GetName, GetNamespace and Greet(string).
// With "m": "registry", d is {"object": obj, "cluster": cr, "localCluster": cr} and the data is
// what the upstream cluster-registry-controller passes to override templates: .Object an
// *unstructured.Unstructured, .Cluster and .LocalCluster *Cluster (the upstream API type).
// With "n" > 0 the template is parsed once and executed n times; "ns" is the mean time of one run.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"sdm.local/test/template-oracle/v1alpha1"
)

func registryData(raw json.RawMessage) (any, error) {
	var in struct {
		Object       map[string]any  `json:"object"`
		Cluster      json.RawMessage `json:"cluster"`
		LocalCluster json.RawMessage `json:"localCluster"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, err
	}
	var c, lc v1alpha1.Cluster
	if err := json.Unmarshal(in.Cluster, &c); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(in.LocalCluster, &lc); err != nil {
		return nil, err
	}
	// Unstructured content is what the API server's JSON decodes to: int64 and float64 numbers.
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(mustJSON(in.Object)); err != nil {
		return nil, err
	}
	return map[string]interface{}{"Object": obj, "Cluster": c.DeepCopy(), "LocalCluster": lc.DeepCopy()}, nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

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

// funcs is sprig's TxtFuncMap plus Helm's toYaml, fromYaml and required (helm.sh/helm/v3/pkg/engine, v3.22).
func funcs() template.FuncMap {
	fm := sprig.TxtFuncMap()
	fm["toYaml"] = func(v any) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	// Helm's required, as its error reads once Helm has stripped its delimiters.
	fm["required"] = func(warn string, val any) (any, error) {
		if val == nil {
			return val, errors.New(warn)
		} else if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warn)
		}
		return val, nil
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

func render(text string, data any, repeats int) (out string, errText string, ns int64) {
	defer func() {
		if r := recover(); r != nil {
			errText = fmt.Sprintf("PANIC: %v", r)
		}
	}()
	t, err := template.New("t").Funcs(funcs()).Parse(text)
	if err != nil {
		return "", err.Error(), 0
	}
	var sb strings.Builder
	if err := t.Execute(&sb, data); err != nil {
		return sb.String(), err.Error(), 0
	}
	if repeats > 0 {
		start := time.Now()
		for i := 0; i < repeats; i++ {
			var b strings.Builder
			_ = t.Execute(&b, data)
		}
		ns = time.Since(start).Nanoseconds() / int64(repeats)
	}
	return sb.String(), "", ns
}

func main() {
	// A cyclic value (a map set into itself) overflows the stack when printed; fail fast, not at 1 GB.
	debug.SetMaxStack(64 << 20)
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var c struct {
			T string          `json:"t"`
			D json.RawMessage `json:"d"`
			M string          `json:"m"`
			N int             `json:"n"`
		}
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			_ = enc.Encode(map[string]string{"err": "bad input: " + err.Error()})
			continue
		}
		var data any
		if c.M == "registry" {
			d, err := registryData(c.D)
			if err != nil {
				_ = enc.Encode(map[string]string{"err": "bad registry data: " + err.Error()})
				continue
			}
			data = d
		} else if len(c.D) > 0 {
			dec := json.NewDecoder(strings.NewReader(string(c.D)))
			dec.UseNumber()
			_ = dec.Decode(&data)
			data = convert(data)
		}
		out, errText, ns := render(c.T, data, c.N)
		_ = enc.Encode(map[string]any{"out": out, "err": errText, "ns": ns})
	}
}
