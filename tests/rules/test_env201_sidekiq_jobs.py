"""ENV201 on a Rails app whose Sidekiq workers run in a job runner: a method of a class that
includes ``Sidekiq::Worker``/``Sidekiq::Job`` is called by the ``sidekiq`` process, never by the
``puma`` web server that enqueues the job (hmpps-book-secure-move-api, blind set 14d).  A
service whose command envlint cannot read as a web server alone (an entry script, ``foreman``)
keeps them, as does the job runner."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree

WORKER = """\
class ExportWorker
  include Sidekiq::Worker
  sidekiq_options queue: ENV.fetch("EXPORT_QUEUE")

  def perform
    path = "#{ENV.fetch('S3_PROJECT_PATH')}/export.csv"
    puts path
  end
end

class Later
  include ::Sidekiq::Job

  def self.schedule = ENV.fetch("LATER_CRON")
end

class Report
  def perform = ENV.fetch("REPORT_BUCKET")
end
"""


def _lint(root: Path) -> dict[tuple[str | None, str | None], int]:
    write_tree(
        root,
        {
            "compose.yaml": """
                services:
                  web: {build: ., command: bundle exec puma -p 3000}
                  server: {build: ., command: ["bin/rails", "server"]}
                  jobs: {build: ., command: bundle exec sidekiq}
                  both: {build: ., command: foreman start}
                  script: {build: ., command: ./start.sh}
            """,
            "Dockerfile": "FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nCMD bundle exec puma\n",
            "Gemfile": 'source "https://rubygems.org"\ngem "rails"\ngem "puma"\ngem "sidekiq"\n',
            "config.ru": 'require_relative "config/environment"\nrun Rails.application\n',
            "config/environment.rb": 'require "rails/all"\n',
            "start.sh": "#!/bin/sh\nexec bundle exec puma\n",
            "app/workers/export_worker.rb": WORKER,
        },
    )
    found: dict[tuple[str | None, str | None], int] = {}
    for f in run_lint(root, select=("ENV201",), cache=False).findings:
        for service in f.message.split("service ", 1)[1].split(" ", 1)[:1]:
            found[(service, f.variable)] = f.location.line
    return found


def test_a_sidekiq_workers_methods_are_not_the_web_servers_code(tmp_path: Path) -> None:
    found = _lint(tmp_path)
    for web in ("web", "server"):
        assert (web, "S3_PROJECT_PATH") not in found, found
        assert (web, "LATER_CRON") not in found, found
        # the class body runs where the class is loaded (eager loading): the web server too
        assert (web, "EXPORT_QUEUE") in found, found
        # a `perform` of a class that is no Sidekiq worker is anyone's
        assert (web, "REPORT_BUCKET") in found, found
    # the job runner, a process manager and an entry script envlint does not read as a web
    # server keep them
    for runner in ("jobs", "both", "script"):
        assert (runner, "S3_PROJECT_PATH") in found, found
