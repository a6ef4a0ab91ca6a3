"""The platform's URLs plus the baseline: a minimal Django view that inserts one row (the bare engine's floor for
"a request that writes something"), served by the same gunicorn in the same run."""
import json

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from ipcity.urls import urlpatterns as platform_urls


@csrf_exempt
def minimal_insert(request):
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_minimal (key, body) VALUES (%s, %s) RETURNING id",
                       [request.headers.get("Idempotency-Key", ""), json.dumps(body, ensure_ascii=False)])
        row_id = cursor.fetchone()[0]
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("bench/minimal/", minimal_insert), *platform_urls]
