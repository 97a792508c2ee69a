from django.shortcuts import render


def index(request):
    return render(
        request, "diagnosis/index.html", {"title": "Diagnostic territorial", "breadcrumb_links": []}
    )
