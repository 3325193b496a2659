package jsonschema

import (
	"strconv"
	"strings"
)

// The kinds of Error, gojsonschema's error types, by the keyword failed.
const (
	// KindFalse: the false schema.
	KindFalse = "false"
	// KindRequired: a required key is missing (Property names it).
	KindRequired = "required"
	// KindInvalidType: type.
	KindInvalidType = "invalid_type"
	// KindAnyOf: anyOf.
	KindAnyOf = "number_any_of"
	// KindOneOf: oneOf.
	KindOneOf = "number_one_of"
	// KindAllOf: allOf.
	KindAllOf = "number_all_of"
	// KindNot: not.
	KindNot = "number_not"
	// KindMissingDependency: dependencies (a key another requires is missing).
	KindMissingDependency = "missing_dependency"
	// KindConst: const.
	KindConst = "const"
	// KindEnum: enum.
	KindEnum = "enum"
	// KindNoAdditionalItems: additionalItems: false.
	KindNoAdditionalItems = "array_no_additional_items"
	// KindMinItems: minItems.
	KindMinItems = "array_min_items"
	// KindMaxItems: maxItems.
	KindMaxItems = "array_max_items"
	// KindUnique: uniqueItems.
	KindUnique = "unique"
	// KindContains: contains.
	KindContains = "contains"
	// KindMinProperties: minProperties.
	KindMinProperties = "array_min_properties"
	// KindMaxProperties: maxProperties.
	KindMaxProperties = "array_max_properties"
	// KindAdditionalProperty: additionalProperties: false (Property names the key; Path is its map).
	KindAdditionalProperty = "additional_property_not_allowed"
	// KindInvalidPropertyName: propertyNames (Property names the key).
	KindInvalidPropertyName = "invalid_property_name"
	// KindMinLength: minLength.
	KindMinLength = "string_gte"
	// KindMaxLength: maxLength.
	KindMaxLength = "string_lte"
	// KindPattern: pattern.
	KindPattern = "pattern"
	// KindFormat: format.
	KindFormat = "format"
	// KindMultipleOf: multipleOf.
	KindMultipleOf = "multiple_of"
	// KindMinimum: minimum.
	KindMinimum = "number_gte"
	// KindExclusiveMinimum: exclusiveMinimum.
	KindExclusiveMinimum = "number_gt"
	// KindMaximum: maximum.
	KindMaximum = "number_lte"
	// KindExclusiveMaximum: exclusiveMaximum.
	KindExclusiveMaximum = "number_lt"
	// KindConditionThen: then (if passed).
	KindConditionThen = "condition_then"
	// KindConditionElse: else (if failed).
	KindConditionElse = "condition_else"
)

// The descriptions are gojsonschema's English locale (locales.go), built
// from the same details: the schema's types, keys, bounds, pattern, format
// and allowed values, the instance's keys and indexes, never its values.

func msgFalse() string                { return "False always fails validation" }
func msgRequired(prop string) string  { return prop + " is required" }
func msgAnyOf() string                { return "Must validate at least one schema (anyOf)" }
func msgOneOf() string                { return "Must validate one and only one schema (oneOf)" }
func msgAllOf() string                { return "Must validate all the schemas (allOf)" }
func msgNot() string                  { return "Must not validate the schema (not)" }
func msgDependency(dep string) string { return "Has a dependency on " + dep }
func msgNoAdditionalItems() string    { return "No additional items allowed on array" }
func msgMinItems(min int) string      { return "Array must have at least " + strconv.Itoa(min) + " items" }
func msgMaxItems(max int) string      { return "Array must have at most " + strconv.Itoa(max) + " items" }
func msgContains() string             { return "At least one of the items must match" }
func msgMinProperties(min int) string {
	return "Must have at least " + strconv.Itoa(min) + " properties"
}
func msgMaxProperties(max int) string {
	return "Must have at most " + strconv.Itoa(max) + " properties"
}
func msgAdditionalProperty(p string) string {
	return "Additional property " + p + " is not allowed"
}
func msgPropertyName(p string) string { return `Property name of "` + p + `" does not match` }
func msgMinLength(min int) string {
	return "String length must be greater than or equal to " + strconv.Itoa(min)
}
func msgMaxLength(max int) string {
	return "String length must be less than or equal to " + strconv.Itoa(max)
}
func msgPattern(p string) string     { return "Does not match pattern '" + p + "'" }
func msgFormat(f string) string      { return "Does not match format '" + f + "'" }
func msgMultipleOf(m string) string  { return "Must be a multiple of " + m }
func msgMinimum(m string) string     { return "Must be greater than or equal to " + m }
func msgExclMinimum(m string) string { return "Must be greater than " + m }
func msgMaximum(m string) string     { return "Must be less than or equal to " + m }
func msgExclMaximum(m string) string { return "Must be less than " + m }
func msgConditionThen() string       { return `Must validate "then" as "if" was valid` }
func msgConditionElse() string       { return `Must validate "else" as "if" was not valid` }
func msgUnique(i, j int) string {
	return "array items[" + strconv.Itoa(i) + "," + strconv.Itoa(j) + "] must be unique"
}

func msgInvalidType(expected []string, given string) string {
	return "Invalid type. Expected: " + typeList(expected) + ", given: " + given
}

// typeList renders a schema's types as gojsonschema does: "string", or
// "[string,null]".
func typeList(types []string) string {
	if len(types) == 1 {
		return types[0]
	}
	return "[" + strings.Join(types, ",") + "]"
}

func msgConst(field, allowed string) string { return field + " does not match: " + allowed }

func msgEnum(field string, allowed []string) string {
	return field + " must be one of the following: " + strings.Join(allowed, ", ")
}
