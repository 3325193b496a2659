package verify

import (
	"strings"
	"testing"
)

// TestExtract reads a canned render (no Helm needed): the settings of a
// Deployment with its environment from a ConfigMap and a Secret (hashed),
// a Service and an Ingress; a CRD is skipped without being decoded.
func TestExtract(t *testing.T) {
	k, err := LoadKnowledge()
	if err != nil {
		t.Fatal(err)
	}
	render := `---
# Source: x/templates/crd.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: big}
spec: [not, decoded: {
---
apiVersion: v1
kind: ConfigMap
metadata: {name: rel-polyaxon-config}
data: {POLYAXON_PLATFORM_HOST: "http://rel-polyaxon-gateway.ns.svc.cluster.local:80"}
---
apiVersion: v1
kind: Secret
metadata: {name: rel-polyaxon-secret}
data: {POLYAXON_DB_PASSWORD: czNjcjN0}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: rel-polyaxon-api}
spec:
  replicas: 2
  template:
    spec:
      nodeSelector: {pool: core}
      volumes:
        - name: store
          persistentVolumeClaim: {claimName: pvc}
      containers:
        - name: polyaxon-api
          image: polyaxon/polyaxon-api:2.15.1
          envFrom:
            - configMapRef: {name: rel-polyaxon-config}
            - secretRef: {name: rel-polyaxon-secret}
            - configMapRef: {name: rel-elsewhere}
          env:
            - {name: POLYAXON_ADMIN_PASSWORD, value: pl41n}
            - name: POLYAXON_REDIS_PASSWORD
              valueFrom: {secretKeyRef: {name: rel-redis, key: redis-password}}
          volumeMounts:
            - {name: store, mountPath: /artifacts}
---
apiVersion: v1
kind: Service
metadata: {name: rel-polyaxon-gateway}
spec:
  type: NodePort
  ports: [{name: http, port: 80, targetPort: 8000, nodePort: 31811}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: rel-polyaxon-ingress}
spec:
  tls: [{secretName: tls, hosts: [b.example.com, a.example.com]}]
  rules:
    - host: a.example.com
      http:
        paths: [{path: /, backend: {service: {name: rel-polyaxon-gateway, port: {number: 80}}}}]
`
	objs, err := parseManifests([]byte(render), func(kind string) bool {
		return kind == "ConfigMap" || kind == "Secret" || k.compared(kind)
	})
	if err != nil {
		t.Fatal(err)
	}
	s := extract(k, "rel", "ns", objs)
	for obj, want := range map[string]map[string]string{
		"Deployment/api": {
			"replicas":                    "2",
			"nodeSelector":                `{"pool":"core"}`,
			"image[polyaxon-api]":         "polyaxon/polyaxon-api",
			"imageTag[polyaxon-api]":      "2.15.1",
			"env.POLYAXON_PLATFORM_HOST":  "http://rel-polyaxon-gateway:80",
			"env.POLYAXON_REDIS_PASSWORD": "secretKeyRef redis/redis-password",
			"envFrom configMap elsewhere": "(not rendered)",
			"mount /artifacts":            `{"volume":{"persistentVolumeClaim":{"claimName":"pvc"}}}`,
			"env.POLYAXON_DB_PASSWORD":    hashed("b64:czNjcjN0"),
			"env.POLYAXON_ADMIN_PASSWORD": hashed("str:pl41n"),
		},
		"Service/gateway": {"type": "NodePort", "port[#0]": "80/TCP", "targetPort[#0]": "8000", "nodePort[#0]": "31811"},
		"Ingress/ingress": {"rule a.example.com /": "Service/gateway:80", "tls[tls]": "a.example.com,b.example.com"},
	} {
		for key, v := range want {
			if got := s[obj][key]; got != v {
				t.Errorf("%s %s = %q, want %q", obj, key, got, v)
			}
		}
	}
	if _, ok := s["CustomResourceDefinition/big"]; ok {
		t.Error("the CRD is compared")
	}
	for _, v := range s["Deployment/api"] {
		if strings.Contains(v, "pl41n") || strings.Contains(v, "czNjcjN0") {
			t.Errorf("a secret value is kept as such: %q", v)
		}
	}
}

// TestPolyaxonMajor names the chart and major from Chart.yaml.
func TestPolyaxonMajor(t *testing.T) {
	for _, tc := range []struct{ name, version, chart, major string }{
		{"polyaxon", "0.6.1", "platform", "v0"},
		{"polyaxon", "1.20.0", "platform", "v1"},
		{"polyaxon", "1.21.0", "platform", "v2"},
		{"polyaxon", "2.15.1", "platform", "v2"},
		{"agent", "1.20.0", "agent", "v1"},
		{"other", "x", "", ""},
	} {
		if c, m := polyaxonMajor(tc.name, tc.version); c != tc.chart || m != tc.major {
			t.Errorf("%s %s = %s %s, want %s %s", tc.name, tc.version, c, m, tc.chart, tc.major)
		}
	}
}
