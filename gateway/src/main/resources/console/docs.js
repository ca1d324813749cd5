// Renders the OpenAPI document of this server; the console's key is not used here (the document needs none).
window.ui = SwaggerUIBundle({
  url: '/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null
});
