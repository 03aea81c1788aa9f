"""Plans, sections and duties join the plan aggregate in tasks/, keeping their tables (plans_plan,
plans_section, bureau_duty, bureau_dutyitem and its two link tables): no row is copied or moved."""

import django.db.models.deletion
from django.db import migrations, models


def _content_types_follow(apps, schema_editor):
    """Permissions (the admin group's included) hang on content types: move them, do not recreate them."""
    content_types = apps.get_model("contenttypes", "ContentType")
    for old_app, model in [("plans", "plan"), ("plans", "section"), ("bureau", "duty"), ("bureau", "dutyitem")]:
        if content_types.objects.filter(app_label=old_app, model=model).exists():
            content_types.objects.filter(app_label="tasks", model=model).delete()
            content_types.objects.filter(app_label=old_app, model=model).update(app_label="tasks")


def _content_types_return(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    for old_app, model in [("plans", "plan"), ("plans", "section"), ("bureau", "duty"), ("bureau", "dutyitem")]:
        content_types.objects.filter(app_label="tasks", model=model).update(app_label=old_app)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('plans', '0003_orderings_by_column'),
        ('bureau', '0005_duties_move_to_tasks'),
        ('tasks', '0007_task_all_divisions_role'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Duty',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveIntegerField(verbose_name='序号')),
                    ('text', models.TextField(verbose_name='主要职责')),
                    ('bureau', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='duties', to='bureau.bureau', verbose_name='教育局')),
                ],
                options={
                    'verbose_name': '部门职责',
                    'verbose_name_plural': '部门职责',
                    'db_table': 'bureau_duty',
                    'ordering': ['bureau_id', 'number'],
                },
            ),
            migrations.CreateModel(
                name='DutyItem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.TextField(verbose_name='具体工作事项')),
                    ('order', models.PositiveIntegerField(default=0, verbose_name='顺序')),
                    ('duty', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='tasks.duty', verbose_name='部门职责')),
                    ('tasks', models.ManyToManyField(blank=True, related_name='duty_items', to='tasks.task', verbose_name='服务的重点任务')),
                    ('units', models.ManyToManyField(blank=True, related_name='duty_items', to='bureau.division', verbose_name='承办单位')),
                ],
                options={
                    'verbose_name': '具体工作事项',
                    'verbose_name_plural': '具体工作事项',
                    'db_table': 'bureau_dutyitem',
                    'ordering': ['duty_id', 'order'],
                },
            ),
            migrations.CreateModel(
                name='Plan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='标题')),
                    ('kind', models.CharField(choices=[('work_points', '工作要点'), ('decomposition', '任务分解方案'), ('division_of_labour', '规划任务分工'), ('duties', '部门职责'), ('summary', '工作总结')], max_length=20, verbose_name='类型')),
                    ('year_start', models.PositiveSmallIntegerField(verbose_name='起始年度')),
                    ('year_end', models.PositiveSmallIntegerField(verbose_name='截止年度')),
                    ('document_number', models.CharField(blank=True, max_length=60, verbose_name='文号')),
                    ('issued_on', models.DateField(blank=True, null=True, verbose_name='印发日期')),
                    ('source_file', models.FileField(blank=True, upload_to='plans/%Y/', verbose_name='源文件')),
                    ('source_sha256', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='源文件SHA-256')),
                    ('reporting_cycle', models.CharField(choices=[('monthly', '每月'), ('quarterly', '每季度')], default='monthly', max_length=10, verbose_name='报送周期')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='导入时间')),
                    ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='年度关闭时间')),
                    ('weight_on_time', models.PositiveSmallIntegerField(default=40, verbose_name='考核权重：按时办结')),
                    ('weight_reporting', models.PositiveSmallIntegerField(default=30, verbose_name='考核权重：按时报送')),
                    ('weight_targets', models.PositiveSmallIntegerField(default=30, verbose_name='考核权重：指标达成')),
                    ('penalty_per_return', models.PositiveSmallIntegerField(default=5, verbose_name='考核扣分：每次退回')),
                    ('bureau', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plans', to='bureau.bureau', verbose_name='教育局')),
                ],
                options={
                    'verbose_name': '工作计划',
                    'verbose_name_plural': '工作计划',
                    'db_table': 'plans_plan',
                    'ordering': ['-year_end', 'bureau_id', 'title'],
                },
            ),
            migrations.AddField(
                model_name='duty',
                name='plan',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='duties', to='tasks.plan', verbose_name='来源文件'),
            ),
            migrations.AlterField(
                model_name='task',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='tasks.plan', verbose_name='工作计划'),
            ),
            migrations.CreateModel(
                name='Section',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.CharField(blank=True, help_text='按原文，如 一、（一）', max_length=20, verbose_name='编号')),
                    ('title', models.CharField(max_length=300, verbose_name='标题')),
                    ('order', models.PositiveIntegerField(default=0, verbose_name='顺序')),
                    ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='tasks.section', verbose_name='上级部分')),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='tasks.plan', verbose_name='工作计划')),
                ],
                options={
                    'verbose_name': '部分',
                    'verbose_name_plural': '部分',
                    'db_table': 'plans_section',
                    'ordering': ['plan_id', 'order'],
                },
            ),
            migrations.AlterField(
                model_name='task',
                name='section',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tasks', to='tasks.section', verbose_name='所属部分'),
            ),
            migrations.AddIndex(
                model_name='plan',
                index=models.Index(fields=['bureau', 'kind', 'year_start', 'year_end'], name='plans_plan_bureau__c2de4e_idx'),
            ),
            migrations.AddConstraint(
                model_name='plan',
                constraint=models.CheckConstraint(condition=models.Q(('year_end__gte', models.F('year_start'))), name='plan_years_ordered'),
            ),
            ],
            database_operations=[migrations.RunPython(_content_types_follow, _content_types_return)],
        ),
    ]
