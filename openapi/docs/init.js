// Swagger UI for billbridge: reads the spec this server embeds, with no
// request to any other host (no validator badge, no external assets).
window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  tryItOutEnabled: false,
  persistAuthorization: false
});
