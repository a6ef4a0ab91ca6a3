from ipcity.jobs.registry import job_kind
from ipcity.workdays.actions import recompute_open_deadlines


@job_kind("workdays.recompute", "重新计算所有未届满期限")
def recompute_job(job, progress):
    progress(0, 1, "正在按最新的放假安排重新计算期限")
    changed = recompute_open_deadlines(acting_user=job.created_by)
    progress(1, 1, f"已重新计算，{len(changed)} 个期限发生变化")
    return {"changed": len(changed)}
