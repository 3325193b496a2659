package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
)

// absent is how a setting an object does not have is shown.
const absent = "(absent)"

// settings are the compared settings of one render: object -> setting ->
// value (a canonical text; secrets as a hash).
type settings map[string]map[string]string

type object struct {
	kind, name string
	m          map[string]any
}

// parseManifests reads the multi-document output of `helm template`,
// decoding only the documents of the kinds wanted (CRDs are most of the
// bytes and none of the settings).
func parseManifests(b []byte, wanted func(kind string) bool) ([]object, error) {
	var out []object
	for _, doc := range splitDocuments(b) {
		if k := kindOf(doc); k == "" || !wanted(k) {
			continue
		}
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			return nil, fmt.Errorf("reading the rendered manifests: %w", err)
		}
		if m == nil {
			continue
		}
		kind, _ := m["kind"].(string)
		name, _ := dig(m, "metadata", "name").(string)
		out = append(out, object{kind, name, m})
	}
	return out, nil
}

// splitDocuments splits a YAML stream at its "---" lines.
func splitDocuments(b []byte) [][]byte {
	var docs [][]byte
	start := 0
	for i := 0; i < len(b); {
		end := bytes.IndexByte(b[i:], '\n')
		line := b[i:]
		next := len(b)
		if end >= 0 {
			line, next = b[i:i+end], i+end+1
		}
		if bytes.Equal(bytes.TrimRight(line, " \r"), []byte("---")) {
			docs = append(docs, b[start:i])
			start = next
		}
		i = next
	}
	return append(docs, b[start:])
}

// kindOf finds a document's top-level "kind:" line ("" when none).
func kindOf(doc []byte) string {
	for len(doc) > 0 {
		line := doc
		if i := bytes.IndexByte(doc, '\n'); i >= 0 {
			line, doc = doc[:i], doc[i+1:]
		} else {
			doc = nil
		}
		if v, ok := bytes.CutPrefix(line, []byte("kind:")); ok {
			return strings.Trim(strings.TrimSpace(string(v)), `"'`)
		}
	}
	return ""
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func list(v any) []any { l, _ := v.([]any); return l }

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// canon is the canonical text of a value: "" for null and empty, a string
// as str has it, anything else as JSON.
func canon(v any) string {
	switch x := v.(type) {
	case nil, string:
		return str(v)
	case map[string]any:
		if len(x) == 0 {
			return ""
		}
	case []any:
		if len(x) == 0 {
			return ""
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// hashed is how a secret value is shown: its hash, never the value.
func hashed(v string) string {
	sum := sha256.Sum256([]byte(v))
	return "sha256:" + hex.EncodeToString(sum[:6])
}

// secretName: an environment variable whose literal value is a secret.
var secretName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|_KEY$|PASS$)`)
})

// shortName strips the release and "polyaxon-" from an object's name.
func shortName(release, name string) string {
	name = strings.TrimPrefix(name, release+"-")
	return strings.TrimPrefix(name, "polyaxon-")
}

// extract computes the settings of every compared object of a render.
func extract(k *Knowledge, release, namespace string, objs []object) settings {
	// In-cluster names: "svc.ns.svc.cluster.local" and "svc" reach the
	// same Service from the release's namespace.
	local := strings.NewReplacer("."+namespace+".svc.cluster.local", "", "."+namespace+".svc", "")
	cms := map[string]map[string]string{}
	secrets := map[string]map[string]string{}
	for _, o := range objs {
		switch o.kind {
		case "ConfigMap":
			data := map[string]string{}
			for key, v := range asMap(o.m["data"]) {
				data[key] = str(v)
			}
			cms[o.name] = data
		case "Secret":
			data := map[string]string{}
			for key, v := range asMap(o.m["data"]) {
				data[key] = hashed("b64:" + str(v))
			}
			for key, v := range asMap(o.m["stringData"]) {
				data[key] = hashed("str:" + str(v))
			}
			secrets[o.name] = data
		}
	}
	out := settings{}
	for _, o := range objs {
		if !k.compared(o.kind) {
			continue
		}
		id := o.kind + "/" + shortName(release, o.name)
		s := map[string]string{}
		out[id] = s
		switch o.kind {
		case "Service":
			service(s, o.m)
		case "Ingress":
			ingress(s, release, o.m)
		case "HorizontalPodAutoscaler":
			put(s, "minReplicas", dig(o.m, "spec", "minReplicas"))
			put(s, "maxReplicas", dig(o.m, "spec", "maxReplicas"))
		default:
			pod := dig(o.m, "spec", "template", "spec")
			if o.kind == "CronJob" {
				pod = dig(o.m, "spec", "jobTemplate", "spec", "template", "spec")
			}
			if o.kind == "Deployment" || o.kind == "StatefulSet" {
				put(s, "replicas", dig(o.m, "spec", "replicas"))
			}
			podSettings(s, release, asMap(pod), cms, secrets)
			for key, v := range s {
				if strings.HasPrefix(key, "env.") {
					s[key] = local.Replace(v)
				}
			}
		}
	}
	return out
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func put(s map[string]string, key string, v any) {
	if c := canon(v); c != "" {
		s[key] = c
	}
}

func podSettings(s map[string]string, release string, pod map[string]any, cms, secrets map[string]map[string]string) {
	put(s, "nodeSelector", pod["nodeSelector"])
	put(s, "tolerations", pod["tolerations"])
	put(s, "affinity", pod["affinity"])
	put(s, "podSecurityContext", pod["securityContext"])
	volumes := map[string]any{}
	for _, v := range list(pod["volumes"]) {
		vm := asMap(v)
		src := map[string]any{}
		for key, x := range vm {
			if key != "name" {
				src[key] = x
			}
		}
		volumes[str(vm["name"])] = src
	}
	for _, c := range list(pod["containers"]) {
		cm := asMap(c)
		name := str(cm["name"])
		image := str(cm["image"])
		repo, tag := image, ""
		if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
			repo, tag = image[:i], image[i+1:]
		}
		put(s, "image["+name+"]", repo)
		put(s, "imageTag["+name+"]", tag)
		put(s, "resources["+name+"].requests", dig(cm, "resources", "requests"))
		put(s, "resources["+name+"].limits", dig(cm, "resources", "limits"))
		put(s, "securityContext["+name+"]", cm["securityContext"])
		env := map[string]string{}
		for _, ef := range list(cm["envFrom"]) {
			efm := asMap(ef)
			prefix := str(efm["prefix"])
			for _, src := range []struct {
				field, kind string
				data        map[string]map[string]string
			}{{"configMapRef", "configMap", cms}, {"secretRef", "secret", secrets}} {
				ref := str(dig(efm, src.field, "name"))
				if ref == "" {
					continue
				}
				data, ok := src.data[ref]
				if !ok {
					env["envFrom "+src.kind+" "+shortName(release, ref)] = "(not rendered)"
				}
				for key, v := range data {
					env[prefix+key] = v
				}
			}
		}
		for _, e := range list(cm["env"]) {
			em := asMap(e)
			key := str(em["name"])
			if key == "" {
				continue // a variable without a name is not set in the pod
			}
			if v, ok := em["value"]; ok {
				val := str(v)
				if secretName().MatchString(key) && val != "" {
					val = hashed("str:" + val)
				}
				env[key] = val
				continue
			}
			env[key] = valueFrom(release, asMap(em["valueFrom"]), cms, secrets)
		}
		for key, v := range env {
			if !strings.HasPrefix(key, "envFrom ") {
				key = "env." + key
			}
			if _, ok := s[key]; !ok {
				s[key] = v
			}
		}
		for _, vm := range list(cm["volumeMounts"]) {
			m := asMap(vm)
			path := str(m["mountPath"])
			src := map[string]any{"volume": volumes[str(m["name"])]}
			for _, k := range []string{"subPath", "readOnly"} {
				if m[k] != nil {
					src[k] = m[k]
				}
			}
			if _, ok := s["mount "+path]; !ok {
				put(s, "mount "+path, src)
			}
		}
	}
}

// valueFrom is what an environment variable's valueFrom reads: the key
// of a rendered Secret or ConfigMap, else the reference itself.
func valueFrom(release string, vf map[string]any, cms, secrets map[string]map[string]string) string {
	for _, src := range []struct {
		ref  string
		data map[string]map[string]string
	}{{"secretKeyRef", secrets}, {"configMapKeyRef", cms}} {
		ref := asMap(vf[src.ref])
		if ref == nil {
			continue
		}
		name, key := str(ref["name"]), str(ref["key"])
		if v, ok := src.data[name][key]; ok {
			return v
		}
		return src.ref + " " + shortName(release, name) + "/" + key
	}
	if ref := asMap(vf["fieldRef"]); ref != nil {
		return "fieldRef " + str(ref["fieldPath"])
	}
	return canon(vf)
}

func service(s map[string]string, m map[string]any) {
	typ := str(dig(m, "spec", "type"))
	if typ == "" {
		typ = "ClusterIP"
	}
	s["type"] = typ
	put(s, "loadBalancerIP", dig(m, "spec", "loadBalancerIP"))
	for i, p := range list(dig(m, "spec", "ports")) {
		pm := asMap(p)
		// By position: port names change between majors (api, http).
		name := "#" + strconv.Itoa(i)
		proto := str(pm["protocol"])
		if proto == "" {
			proto = "TCP"
		}
		target := str(pm["targetPort"])
		if target == "" {
			target = str(pm["port"])
		}
		// How the Service is reached (port, protocol) apart from where it
		// sends the traffic (the pods' port, the chart's own wiring).
		s["port["+name+"]"] = str(pm["port"]) + "/" + proto
		s["targetPort["+name+"]"] = target
		put(s, "nodePort["+name+"]", pm["nodePort"])
	}
}

func ingress(s map[string]string, release string, m map[string]any) {
	class := str(dig(m, "spec", "ingressClassName"))
	if class == "" {
		class = str(dig(m, "metadata", "annotations", "kubernetes.io/ingress.class"))
	}
	put(s, "ingressClass", class)
	for _, r := range list(dig(m, "spec", "rules")) {
		host := str(asMap(r)["host"])
		if host == "" {
			host = "*"
		}
		for _, p := range list(dig(r, "http", "paths")) {
			pm := asMap(p)
			path := str(pm["path"])
			if path == "" {
				path = "/"
			}
			svc, port := str(dig(pm, "backend", "service", "name")), str(dig(pm, "backend", "service", "port", "number"))
			if svc == "" {
				svc, port = str(dig(pm, "backend", "serviceName")), str(dig(pm, "backend", "servicePort"))
			}
			if port == "" {
				port = str(dig(pm, "backend", "service", "port", "name"))
			}
			s["rule "+host+" "+path] = "Service/" + shortName(release, svc) + ":" + port
		}
	}
	for _, t := range list(dig(m, "spec", "tls")) {
		tm := asMap(t)
		var hosts []string
		for _, h := range list(tm["hosts"]) {
			hosts = append(hosts, str(h))
		}
		sort.Strings(hosts)
		s["tls["+str(tm["secretName"])+"]"] = strings.Join(hosts, ",")
	}
}
