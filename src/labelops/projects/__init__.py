"""Projects: what is to be labeled, how, and by whom.

Glossary: a *project* has languages, a *label schema* (single- or multi-choice over a two-level
taxonomy), an *overlap* (distinct labelers per item) and a lifecycle; its *items* arrive in
*import batches*; *staffing* names the vendors and labelers who may work on it.
"""

from labelops.projects.access import (
    VIEW_COLUMNS,
    ProjectView,
    can_see,
    find_view,
    get_visible_view,
    require_visible,
    view_from_row,
    visible_projects,
)
from labelops.projects.imports import import_items
from labelops.projects.models import (
    Demand,
    DemandChange,
    DemandComment,
    DemandEstimate,
    ImportBatch,
    Item,
    Project,
    ProjectMember,
    ProjectVendor,
    VendorAllocation,
)
from labelops.projects.parsing import FileRejected, Format, detect_format
from labelops.projects.queries import list_projects, project_out
from labelops.projects.schemas import (
    ImportResult,
    NewProject,
    ProjectOut,
    ProjectStatus,
    ProjectUpdate,
    RejectedLine,
)
from labelops.projects.service import (
    create_project,
    get_labeling_project,
    get_project,
    label_schema,
    label_schema_of,
    require_manageable,
    set_guideline_version,
    update_project,
)
from labelops.projects.taxonomy import (
    DSA_CATEGORIES,
    Label,
    LabelSchema,
    TemplateInfo,
    default_taxonomy,
    list_templates,
    taxonomy_template,
    template_names,
)

__all__ = [
    "DSA_CATEGORIES",
    "VIEW_COLUMNS",
    "Demand",
    "DemandChange",
    "DemandComment",
    "DemandEstimate",
    "FileRejected",
    "Format",
    "ImportBatch",
    "ImportResult",
    "Item",
    "Label",
    "LabelSchema",
    "NewProject",
    "Project",
    "ProjectMember",
    "ProjectOut",
    "ProjectStatus",
    "ProjectUpdate",
    "ProjectVendor",
    "ProjectView",
    "RejectedLine",
    "TemplateInfo",
    "VendorAllocation",
    "can_see",
    "create_project",
    "default_taxonomy",
    "detect_format",
    "find_view",
    "get_labeling_project",
    "get_project",
    "get_visible_view",
    "import_items",
    "label_schema",
    "label_schema_of",
    "list_projects",
    "list_templates",
    "project_out",
    "require_manageable",
    "require_visible",
    "set_guideline_version",
    "taxonomy_template",
    "template_names",
    "update_project",
    "view_from_row",
    "visible_projects",
]
