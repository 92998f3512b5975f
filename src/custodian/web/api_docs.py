"""The interactive API documentation at /api/docs, served entirely from this process.

FastAPI's built-in docs page loads Swagger UI from a public CDN and starts it with an inline
script: offline machines cannot fetch the CDN, and the inline script would need our
Content-Security-Policy loosened. Instead the Swagger UI files come from the `fastapi-offline`
package (a plain copy of swagger-ui-dist), the page is our own template, and the start-up code is
a static file, so /api/docs runs under the same strict policy as every other page.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from custodian.web.rendering import render_page

DOCS_PATH = "/api/docs"
ASSETS_PATH = "/api/docs/assets"

router = APIRouter(include_in_schema=False)


@router.get(DOCS_PATH, response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over /api/openapi.json."""
    return render_page(request, "api_docs.html", openapi_url=request.app.openapi_url,
                       assets_path=ASSETS_PATH)


def mount_api_docs(app: FastAPI) -> None:
    """Serve the docs page and its Swagger UI assets (call with the app's docs_url set to None)."""
    swagger_dir = files("fastapi_offline") / "static"
    app.mount(ASSETS_PATH, StaticFiles(directory=str(swagger_dir)), name="swagger-ui")
    app.include_router(router)
