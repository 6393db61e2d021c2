"""Each entry gets an HMAC under the audit key (kept outside the database).

Existing entries keep an empty MAC: nothing here can vouch for them after the
fact, so verify checks them by hash only and says so; the first checkpoint
(`postguard audit checkpoint`, or the periodic job) then pins them too.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
    ]
