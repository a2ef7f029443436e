"""The AI-image credit unit: everything about a picture between the upload and the reader.

- `metadata`: credit and provenance read from the file (XMP, IPTC, EXIF) to pre-fill the form;
- `uploads`: what is accepted, the cleaning that strips GPS and device data (`jpeg`: lossless for JPEGs),
  the interim picture pages show until the renditions exist, writing to storage (local disk or S3);
- `renditions`: the stored WebP/JPEG sizes and crops, when they are rebuilt, and `shown_at()`, the one
  function that picks the file (and its size) to show an image at a width;
- `jobs`: the Celery job that makes the renditions after the commit, never in the editor's request;
- `forms` and `admin`: the image library in the admin.

The model itself (`Image`, `SourceType` and the one credit line) is `articles.models.images`.
"""
