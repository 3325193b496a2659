package jsonschema_test

import (
	"encoding/json"
	"testing"
)

// cases pair a schema with values; TestDifferential checks that every
// value gets the same verdict (errors, paths, kinds, descriptions) from
// the package as from gojsonschema.
var cases = []struct {
	name   string
	schema string
	values []string
}{
	{"type", `{"type":"string"}`, []string{`"a"`, `1`, `1.5`, `null`, `true`, `[]`, `{}`}},
	{"type list", `{"type":["string","null"]}`, []string{`"a"`, `null`, `2`, `{}`}},
	{"integer", `{"type":"integer"}`, []string{`1`, `1.0`, `1.5`, `1e21`, `-0`, `"1"`}},
	{"number", `{"type":"number"}`, []string{`1`, `1.5`, `"x"`}},
	{"integer or number", `{"type":["integer","number"]}`, []string{`1`, `1.5`, `"x"`}},
	{"draft-04 bounds", `{"$schema":"http://json-schema.org/draft-04/schema#","minimum":1,"maximum":5,"exclusiveMaximum":true}`, []string{`0`, `1`, `4.99`, `5`, `6`, `"x"`}},
	{"draft-04 exclusiveMinimum", `{"$schema":"http://json-schema.org/draft-04/schema#","minimum":1,"exclusiveMinimum":true}`, []string{`1`, `1.01`}},
	{"draft-07 bounds", `{"$schema":"http://json-schema.org/draft-07/schema#","exclusiveMinimum":1,"exclusiveMaximum":5,"minimum":0.5,"maximum":10}`, []string{`0`, `1`, `3`, `5`, `11`}},
	{"hybrid bounds", `{"minimum":1,"exclusiveMinimum":true,"exclusiveMaximum":10.5}`, []string{`1`, `2`, `10.5`}},
	{"bound formatting", `{"minimum":12345678901,"maximum":1e30,"multipleOf":0.1}`, []string{`1`, `1e31`, `12345678902.5`, `12345678901.3`, `12345678901.35`}},
	{"multipleOf", `{"multipleOf":3}`, []string{`9`, `10`, `0`, `-3`, `1.5`}},
	{"multipleOf decimal", `{"multipleOf":0.01}`, []string{`0.3`, `0.07`, `1.005`, `19.99`}},
	{"strings", `{"minLength":2,"maxLength":3,"pattern":"^[a-zé]+$"}`, []string{`"a"`, `"ab"`, `"éé"`, `"abcd"`, `"AB"`, `5`}},
	{"pattern unanchored", `{"pattern":"b+"}`, []string{`"abc"`, `"ac"`}},
	{"enum", `{"enum":["ClusterIP","NodePort",1,null,{"a":[1,2]},true]}`, []string{`"ClusterIP"`, `"x"`, `1.0`, `null`, `{"a":[1,2.0]}`, `{"a":[2,1]}`, `false`}},
	{"enum nested", `{"properties":{"svc":{"properties":{"type":{"enum":["a","b<c"]}}}}}`, []string{`{"svc":{"type":"c"}}`, `{"svc":{"type":"a"}}`}},
	{"const", `{"const":{"b":1,"a":"x"}}`, []string{`{"a":"x","b":1}`, `{"a":"y","b":1}`, `1`}},
	{"const draft-04 ignored", `{"$schema":"http://json-schema.org/draft-04/schema#","const":1}`, []string{`2`}},
	{"object", `{"type":"object","properties":{"a":{"type":"integer"},"b.c":{"type":"string"}},"required":["a","z"],"additionalProperties":false}`,
		[]string{`{"a":1}`, `{"a":"x","b.c":2}`, `{"x":1,"y":{"z":1}}`, `[]`}},
	{"additionalProperties schema", `{"properties":{"a":{}},"additionalProperties":{"type":"string"}}`, []string{`{"a":1,"b":"x"}`, `{"b":1,"c":true}`}},
	{"patternProperties", `{"patternProperties":{"^x-":{"type":"string"},"y$":{"minimum":2}},"additionalProperties":false}`,
		[]string{`{"x-a":"s"}`, `{"x-a":1}`, `{"x-y":1}`, `{"other":1}`, `{"zy":3}`}},
	{"min/max properties", `{"minProperties":1,"maxProperties":2}`, []string{`{}`, `{"a":1}`, `{"a":1,"b":2,"c":3}`}},
	{"propertyNames", `{"propertyNames":{"pattern":"^[a-z]+$","maxLength":3}}`, []string{`{"abc":1}`, `{"ABC":1,"abcd":2}`}},
	{"dependencies", `{"dependencies":{"a":["b","c"],"d":{"required":["e"],"properties":{"e":{"type":"string"}}}}}`,
		[]string{`{"a":1}`, `{"a":1,"b":1,"c":1}`, `{"d":1}`, `{"d":1,"e":2}`, `{"x":1}`}},
	{"items", `{"items":{"type":"string"},"minItems":1,"maxItems":2,"uniqueItems":true}`, []string{`[]`, `["a"]`, `["a",1]`, `["a","b","a"]`, `["a","a","a"]`}},
	{"uniqueItems objects", `{"uniqueItems":true}`, []string{`[{"a":1,"b":2},{"b":2,"a":1.0}]`, `[1,1.0,"1"]`, `[[1],[1]]`}},
	{"tuple items", `{"items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}`, []string{`["a",1]`, `["a"]`, `[1,"a"]`, `["a",1,2]`}},
	{"tuple additionalItems schema", `{"items":[{"type":"string"}],"additionalItems":{"type":"integer"}}`, []string{`["a",1,2]`, `["a","b",2.5]`}},
	{"contains", `{"contains":{"type":"integer","minimum":5}}`, []string{`[1,"x",6]`, `[1,"x"]`, `[]`, `"x"`}},
	{"anyOf", `{"anyOf":[{"type":"string","minLength":3},{"type":"integer","minimum":10},{"type":"object","required":["a","b"]}]}`,
		[]string{`"abc"`, `"a"`, `5`, `{"a":1}`, `true`, `null`}},
	{"oneOf", `{"oneOf":[{"type":"integer"},{"type":"number","minimum":2}]}`, []string{`1`, `3`, `1.5`, `2.5`, `"x"`}},
	{"oneOf objects", `{"oneOf":[{"properties":{"kind":{"const":"a"},"x":{"type":"string"}},"required":["kind"]},{"properties":{"kind":{"const":"b"}},"required":["kind","y"]}]}`,
		[]string{`{"kind":"a","x":"s"}`, `{"kind":"a","x":1}`, `{"kind":"b"}`, `{}`}},
	{"allOf", `{"allOf":[{"type":"object","required":["a"]},{"properties":{"a":{"type":"string"}}},{"maxProperties":1}]}`,
		[]string{`{"a":"x"}`, `{"a":1,"b":2}`, `{}`}},
	{"not", `{"not":{"type":"string"}}`, []string{`1`, `"x"`}},
	{"if then else", `{"if":{"properties":{"kind":{"const":"s3"}}},"then":{"required":["bucket"]},"else":{"required":["path"]}}`,
		[]string{`{"kind":"s3"}`, `{"kind":"s3","bucket":"b"}`, `{"kind":"gcs"}`, `{"kind":"gcs","path":"p"}`}},
	{"if draft-06 ignored", `{"$schema":"http://json-schema.org/draft-06/schema#","if":{"type":"string"},"then":{"minLength":5}}`, []string{`"a"`}},
	{"boolean schemas", `{"properties":{"a":true,"b":false},"items":false}`, []string{`{"a":1}`, `{"b":1}`, `[1]`, `[]`}},
	{"false root", `false`, []string{`1`, `{}`}},
	{"true root", `true`, []string{`1`}},
	{"refs", `{"definitions":{"port":{"type":"integer","minimum":1,"maximum":65535},"svc":{"type":"object","properties":{"port":{"$ref":"#/definitions/port"}}}},"properties":{"svc":{"$ref":"#/definitions/svc"},"p":{"$ref":"#/definitions/port"}}}`,
		[]string{`{"svc":{"port":80}}`, `{"svc":{"port":0},"p":"x"}`}},
	{"ref escapes", `{"definitions":{"a/b":{"type":"string"},"c~d":{"type":"integer"},"e f":{"minimum":3},"%":{"maxLength":1}},"properties":{"x":{"$ref":"#/definitions/a~1b"},"y":{"$ref":"#/definitions/c~0d"},"z":{"$ref":"#/definitions/e%20f"},"w":{"$ref":"#/definitions/%25"}}}`,
		[]string{`{"x":1,"y":"s","z":1,"w":"ab"}`, `{"x":"s","y":2,"z":4,"w":"a"}`}},
	{"recursive ref", `{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#"}}},"additionalProperties":false}`,
		[]string{`{"name":"a","children":[{"name":"b","children":[{"name":1,"x":2}]}]}`}},
	{"ref siblings ignored", `{"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s","maxLength":1}}}`, []string{`{"a":"abc"}`, `{"a":1}`}},
	{"ref into items", `{"items":[{"type":"string"},{"$ref":"#/items/0"}]}`, []string{`["a","b"]`, `["a",2]`}},
	{"$defs not a keyword of draft-07", `{"$defs":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/s"}}}`, []string{`{"a":1}`}},
	{"formats", `{"properties":{"d":{"format":"date"},"t":{"format":"time"},"dt":{"format":"date-time"},"h":{"format":"hostname"},"e":{"format":"email"},"i4":{"format":"ipv4"},"i6":{"format":"ipv6"},"u":{"format":"uri"},"ur":{"format":"uri-reference"},"ut":{"format":"uri-template"},"uu":{"format":"uuid"},"re":{"format":"regex"},"jp":{"format":"json-pointer"},"rjp":{"format":"relative-json-pointer"},"x":{"format":"unknown"}}}`,
		[]string{
			`{"d":"2024-02-30","t":"25:00:00","dt":"2024-01-01 10:00","h":"-a.b","e":"nope","i4":"::1","i6":"1.2.3.4","u":"/rel","ur":"a\\b","ut":"/{a","uu":"ABCDEF12-0000-0000-0000-000000000000","re":"(","jp":"a/b","rjp":"01/a","x":"anything"}`,
			`{"d":"2024-02-28","t":"10:00:00Z","dt":"2024-01-01T10:00:00+02:00","h":"a-b.example.com","e":"A <a@b.c>","i4":"10.0.0.1","i6":"fe80::1","u":"https://x/y","ur":"../a","ut":"/{a}/b","uu":"abcdef12-0000-0000-0000-000000000000","re":"^a+$","jp":"/a~0b/~1","rjp":"0#","x":"anything"}`,
			`{"d":1,"h":2.5,"x":3,"u":true,"jp":null}`,
		}},
	{"hostname edge", `{"format":"hostname"}`, []string{`""`, `"a"`, `"a..b"`, `"a-"`, `"` + string(make([]byte, 0)) + `x.y"`, `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b"`, `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b"`}},
	{"type with null", `{"type":"object","properties":{"a":{"type":["object","null"],"properties":{"b":{"enum":["x"]}}}}}`, []string{`{"a":null}`, `{"a":{"b":"y"}}`, `null`}},
	{"null against constraints", `{"minimum":1,"minLength":1,"required":["a"],"enum":[1]}`, []string{`null`}},
	{"title and description", `{"title":"T","description":"D","type":"string"}`, []string{`1`}},
	{"unknown keywords", `{"x-foo":{"type":5},"examples":[1],"default":{"$ref":"#/nowhere"},"type":"string"}`, []string{`1`}},
	{"deep", `{"properties":{"a":{"properties":{"b":{"properties":{"c":{"items":{"properties":{"d":{"type":"boolean"}}}}}}}}}}`, []string{`{"a":{"b":{"c":[{"d":true},{"d":"x"}]}}}`}},

	// Schemas that do not compile.
	{"bad type name", `{"type":"str"}`, []string{`1`}},
	{"duplicate type", `{"type":["string","string"]}`, []string{`1`}},
	{"bad regexp", `{"pattern":"(?=a)"}`, []string{`"a"`}},
	{"bad patternProperties regexp", `{"patternProperties":{"[":{}}}`, []string{`{}`}},
	{"bad minLength", `{"minLength":-1}`, []string{`"a"`}},
	{"minLength not integer", `{"minLength":1.5}`, []string{`"a"`}},
	{"minLength 1.0", `{"minLength":1.0}`, []string{`"a"`}},
	{"min > max length", `{"minLength":3,"maxLength":2}`, []string{`"a"`}},
	{"min > max properties", `{"minProperties":3,"maxProperties":2}`, []string{`{}`}},
	{"multipleOf zero", `{"multipleOf":0}`, []string{`1`}},
	{"minimum string", `{"minimum":"1"}`, []string{`1`}},
	{"draft-04 exclusiveMinimum number", `{"$schema":"http://json-schema.org/draft-04/schema#","exclusiveMinimum":1}`, []string{`1`}},
	{"draft-07 exclusiveMinimum bool", `{"$schema":"http://json-schema.org/draft-07/schema#","minimum":1,"exclusiveMinimum":true}`, []string{`1`}},
	{"exclusiveMinimum without minimum", `{"exclusiveMinimum":true}`, []string{`1`}},
	{"required duplicate", `{"required":["a","a"]}`, []string{`{}`}},
	{"required not strings", `{"required":[1]}`, []string{`{}`}},
	{"enum duplicate", `{"enum":[1,1.0]}`, []string{`1`}},
	{"enum not array", `{"enum":1}`, []string{`1`}},
	{"properties not object", `{"properties":[]}`, []string{`{}`}},
	{"items bad", `{"items":1}`, []string{`[]`}},
	{"draft-04 boolean subschema", `{"$schema":"http://json-schema.org/draft-04/schema#","properties":{"a":true}}`, []string{`{}`}},
	{"missing ref", `{"$ref":"#/definitions/nope"}`, []string{`1`}},
	{"bad title", `{"title":1}`, []string{`1`}},
	{"not JSON", `{"type":`, []string{`1`}},
	{"not an object", `[1]`, []string{`1`}},
	{"uniqueItems not bool", `{"uniqueItems":1}`, []string{`[]`}},
	{"format not string", `{"format":1}`, []string{`"a"`}},
	{"schema keyword wrong type", `{"$schema":1}`, []string{`1`}},
}

func TestDifferential(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, vs := range c.values {
				var v any
				if err := json.Unmarshal([]byte(vs), &v); err != nil {
					t.Fatalf("value %s: %v", vs, err)
				}
				if diff, ok := same([]byte(c.schema), v); !ok {
					t.Errorf("gojsonschema gives no verdict on %s", vs)
				} else if diff != "" {
					t.Error(diff)
				}
			}
		})
	}
}
