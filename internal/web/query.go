package web

import (
	"reflect"
	"sort"

	"billbridge"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
)

// BindQuery decodes the query string into dst (fields tagged `form`) and
// validates it. A value of the wrong type is EINVALID naming the parameter.
func BindQuery(c *gin.Context, dst any) error {
	q := c.Request.URL.Query()
	if err := binding.MapFormWithTag(dst, q, "form"); err != nil {
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			probe := reflect.New(reflect.TypeOf(dst).Elem()).Interface()
			if binding.MapFormWithTag(probe, map[string][]string{k: q[k]}, "form") != nil {
				return billbridge.Invalid(k, "has a value of the wrong type")
			}
		}
		return billbridge.Errorf(billbridge.EMALFORMED, "The query string could not be read.")
	}
	return Validate(dst)
}
