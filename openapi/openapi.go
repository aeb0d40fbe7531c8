// Package openapi serves billbridge's OpenAPI 3 description and its
// interactive reference. The spec is generated from the handlers' swag
// comments (generate.sh), committed, and embedded here, so the binary serves
// exactly what was reviewed; the reference is Swagger UI from the
// swagger-ui-dist npm package, embedded too, so /docs works offline.
//
// It imports gin and the standard library only.
package openapi

import (
	"embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

//go:embed openapi.json
var spec []byte

//go:embed docs/index.html docs/init.js docs/swagger-ui.css docs/swagger-ui-bundle.js
var docs embed.FS

// Spec returns the embedded OpenAPI 3 document (JSON). Callers must not
// change the returned bytes.
func Spec() []byte { return spec }

// assets are the files served under /docs/, with their content types.
var assets = map[string]string{
	"swagger-ui.css":       "text/css; charset=utf-8",
	"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
	"init.js":              "text/javascript; charset=utf-8",
}

// Routes serves GET /openapi.json, GET /docs and the reference's assets
// under GET /docs/{file}. Pass it as routes.Deps.Docs.
func Routes(r gin.IRoutes) {
	r.GET("/openapi.json", serveSpec)
	r.GET("/docs", serveDocs)
	r.GET("/docs/:file", serveAsset)
}

// serveSpec answers the embedded spec.
//
//	@Summary		This API description
//	@Description	The OpenAPI 3.0 description of this API, as JSON: what /docs renders and what client generators read.
//	@Tags			Operations
//	@ID				getOpenAPI
//	@Produce		json
//	@Success		200	{object}	map[string]any	"The OpenAPI 3.0 document."
//	@Router			/openapi.json [get]
func serveSpec(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/json", spec)
}

// serveDocs answers the reference's HTML page.
//
//	@Summary		Interactive API reference
//	@Description	Swagger UI showing /openapi.json. Works offline: every asset is served by this server.
//	@Tags			Operations
//	@ID				getDocs
//	@Produce		html
//	@Success		200	{string}	string	"The HTML page."
//	@Router			/docs [get]
func serveDocs(c *gin.Context) {
	b, err := docs.ReadFile("docs/index.html")
	if err != nil {
		c.Status(http.StatusInternalServerError)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
}

// serveAsset answers one of the reference's scripts or styles.
//
//	@Summary		An asset of the API reference
//	@Description	A script or stylesheet of the Swagger UI page at /docs.
//	@Tags			Operations
//	@ID				getDocsAsset
//	@Produce		text/css,text/javascript,plain
//	@Param			file	path		string	true	"The file name."	Enums(swagger-ui.css, swagger-ui-bundle.js, init.js)
//	@Success		200		{string}	string	"The file."
//	@Failure		404		{string}	string	"No such file."
//	@Router			/docs/{file} [get]
func serveAsset(c *gin.Context) {
	name := c.Param("file")
	ctype, ok := assets[name]
	if !ok {
		c.String(http.StatusNotFound, "not found\n")
		return
	}
	b, err := docs.ReadFile("docs/" + name)
	if err != nil {
		c.String(http.StatusNotFound, "not found\n")
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, ctype, b)
}
