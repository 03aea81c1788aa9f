import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bureau.models import Division, Membership
from tasks.models import ProgressReport, Task
from tests.helpers import make_bureau, make_division, make_plan, make_report, make_task, make_user


@pytest.mark.django_db
class TestDivision:
    def test_it_refuses_two_divisions_of_one_name_in_a_bureau(self):
        bureau = make_bureau()
        make_division(bureau, "基教处")
        with pytest.raises(IntegrityError), transaction.atomic():
            make_division(bureau, "基教处")

    def test_the_same_name_is_fine_in_another_bureau(self):
        make_division(make_bureau(), "基教处")
        make_division(make_bureau(), "基教处")
        assert Division.objects.filter(name="基教处").count() == 2

    def test_lookup_table_finds_a_division_by_alias(self):
        bureau = make_bureau()
        division = make_division(bureau, "督导处")
        division.aliases.create(name="督导室")
        table = Division.objects.filter(bureau=bureau).lookup_table()
        assert table["督导室"] == division
        assert table["督导处"] == division


@pytest.mark.django_db
class TestMembership:
    def test_staff_must_belong_to_a_division(self):
        bureau = make_bureau()
        with pytest.raises(IntegrityError), transaction.atomic():
            make_user(bureau=bureau, role=Membership.Role.STAFF)

    def test_a_leader_needs_no_division(self):
        user = make_user(bureau=make_bureau(), role=Membership.Role.LEADER)
        assert user.membership.is_bureau_wide


@pytest.mark.django_db
class TestProgressReport:
    def setup_method(self):
        bureau = make_bureau()
        self.division = make_division(bureau)
        self.task = make_task(make_plan(bureau), lead=[self.division])

    def test_percent_above_100_is_refused_by_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_report(self.task, self.division, percent=101)
        assert not ProgressReport.objects.exists()

    def test_a_saved_report_cannot_be_changed(self):
        report = make_report(self.task, self.division, percent=40)
        report.percent = 90
        with pytest.raises(ValidationError):
            report.save()
        report.refresh_from_db()
        assert report.percent == 40

    def test_a_saved_report_cannot_be_deleted(self):
        report = make_report(self.task, self.division)
        with pytest.raises(ValidationError):
            report.delete()
        assert ProgressReport.objects.filter(pk=report.pk).exists()

    def test_a_correction_is_a_second_report(self):
        make_report(self.task, self.division, percent=40)
        make_report(self.task, self.division, percent=45)
        assert self.task.reports.count() == 2

    def test_task_percent_above_100_is_refused(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Task.objects.filter(pk=self.task.pk).update(percent=120)
