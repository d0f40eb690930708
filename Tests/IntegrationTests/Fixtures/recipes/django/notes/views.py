from django.conf import settings
from django.http import HttpResponse


def index(request):
    return HttpResponse(f"notes {settings.RELEASE}\n", content_type="text/plain")
