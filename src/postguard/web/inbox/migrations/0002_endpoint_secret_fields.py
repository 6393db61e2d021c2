from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="endpoint",
            name="secret",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="endpoint",
            name="secret_set_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="endpoint",
            name="url",
            field=models.URLField(blank=True, max_length=1000),
        ),
        migrations.AlterField(
            model_name="webhooksecret",
            name="secret",
            field=models.TextField(),
        ),
    ]
