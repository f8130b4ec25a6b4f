// Start Swagger UI on the page's OpenAPI document (served by Pathway, like the UI itself).
(function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.spec, domNode: root, deepLinking: true });
})();
