"""Let any website read the open data API from a browser (no cookies are involved, so this is safe)."""

API_PREFIX = "/api/"


class OpenApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response
