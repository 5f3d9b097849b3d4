import type { components } from "@fours/api";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { useAuth } from "../../auth/AuthContext";
import { ProblemAlert } from "../../components/ProblemAlert";
import { PageTitle } from "../../components/PageTitle";
import { showProblem } from "../../components/forms";
import { roleName, roleOptions } from "../../roles";
import { TONE } from "../../components/palette";

type Employee = components["schemas"]["Employee"];
type Role = components["schemas"]["Role"];
type State = "on_staff" | "left" | "all";
interface Hire {
  employee_no: string;
  name: string;
  role: Role;
  team?: string;
  hired_on: Dayjs;
  base_wage: number;
  performance_wage?: number;
  probation_until?: Dayjs;
}

/** HR's staff list (PAY-1's wages and probation on each): find, hire, and record a leaving. */
export default function Staff() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { permissions } = useAuth();
  const queries = useQueryClient();
  const [q, setQ] = useState<string | undefined>();
  const [state, setState] = useState<State>("on_staff");
  const [hiring, setHiring] = useState(false);
  const [leaving, setLeaving] = useState<Employee | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<Hire>();
  const [leaveForm] = Form.useForm<{ left_on: Dayjs }>();
  const roles = useQuery({ queryKey: ["roles"], queryFn: () => call(api.GET("/api/v1/roles")), staleTime: Infinity });
  const staff = useInfiniteQuery({
    queryKey: ["employees", q, state],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(api.GET("/api/v1/employees", { params: { query: { q, state, limit: 100, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const refresh = () => void queries.invalidateQueries({ queryKey: ["employees"] });
  const hire = useMutation({
    mutationFn: (values: Hire) =>
      call(
        api.POST("/api/v1/employees", {
          body: {
            employee_no: values.employee_no.trim(),
            name: values.name.trim(),
            role: values.role,
            team: values.team?.trim() || null,
            hired_on: values.hired_on.format("YYYY-MM-DD"),
            base_wage: String(values.base_wage),
            performance_wage: String(values.performance_wage ?? 0),
            probation_until: values.probation_until ? values.probation_until.format("YYYY-MM-DD") : null,
          },
        }),
      ),
    onSuccess: () => {
      message.success(t("staff.hired"));
      setHiring(false);
      refresh();
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const leave = useMutation({
    mutationFn: ({ employee, on }: { employee: Employee; on: Dayjs }) =>
      call(
        api.PATCH("/api/v1/employees/{employee_no}", {
          params: { path: { employee_no: employee.employee_no }, header: { "if-match": `"${employee.version}"` } },
          body: { left_on: on.format("YYYY-MM-DD") },
        }),
      ),
    onSuccess: () => {
      message.success(t("staff.left"));
      setLeaving(null);
      refresh();
    },
    onError: (error) => setProblem(showProblem(leaveForm, error)),
  });
  const rows = staff.data?.pages.flatMap((page) => page.items) ?? [];
  const mayHire = permissions.has("employees:write");
  return (
    <Card
      title={<PageTitle>{t("staff.title")}</PageTitle>}
      extra={
        <Space wrap>
          <Input.Search
            aria-label={t("staff.search")}
            placeholder={t("staff.search")}
            allowClear
            onSearch={(value) => setQ(value.trim() || undefined)}
            style={{ width: 200 }}
          />
          <Select<State>
            aria-label={t("staff.state")}
            value={state}
            onChange={setState}
            style={{ width: 120 }}
            options={(["on_staff", "left", "all"] as const).map((s) => ({ value: s, label: t(`staff.states.${s}`) }))}
          />
          {mayHire && (
            <Button
              type="primary"
              onClick={() => {
                setProblem(null);
                form.resetFields();
                setHiring(true);
              }}
            >
              {t("staff.hire")}
            </Button>
          )}
        </Space>
      }
    >
      {staff.error && <ProblemAlert error={staff.error} what={t("staff.title")} onRetry={() => void staff.refetch()} />}
      <Table
        rowKey="employee_no"
        size="small"
        loading={staff.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: t("payroll.employeeNo"), dataIndex: "employee_no" },
          { title: t("payroll.name"), dataIndex: "name" },
          { title: t("users.role"), dataIndex: "role", render: (role: string) => roleName(t, role) },
          { title: t("staff.team"), dataIndex: "team", render: (team: string | null) => team ?? "—" },
          { title: t("staff.hiredOn"), dataIndex: "hired_on" },
          {
            title: t("staff.probation"),
            dataIndex: "probation_until",
            render: (until: string | null) =>
              until && dayjs(until).isAfter(dayjs()) ? <Tag color={TONE.gold}>{`${t("staff.until")} ${until}`}</Tag> : "—",
          },
          { title: t("staff.baseWage"), dataIndex: "base_wage" },
          { title: t("staff.performanceWage"), dataIndex: "performance_wage" },
          {
            title: t("staff.leftOn"),
            dataIndex: "left_on",
            render: (left: string | null, employee: Employee) =>
              left ??
              (mayHire ? (
                <Button
                  size="small"
                  onClick={() => {
                    setProblem(null);
                    leaveForm.setFieldsValue({ left_on: dayjs() });
                    setLeaving(employee);
                  }}
                >
                  {t("staff.leave")}
                </Button>
              ) : (
                "—"
              )),
          },
        ]}
      />
      {staff.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => void staff.fetchNextPage()}>
          {t("common.more")}
        </Button>
      )}
      <Modal
        open={hiring}
        title={t("staff.hire")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={hire.isPending}
        onCancel={() => setHiring(false)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={form} name="hire" layout="vertical" onFinish={(values) => hire.mutate(values)}>
          <Form.Item name="employee_no" label={t("payroll.employeeNo")} rules={[{ required: true }]}>
            <Input maxLength={32} />
          </Form.Item>
          <Form.Item name="name" label={t("payroll.name")} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="role" label={t("users.role")} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: "label" }} options={roleOptions(t, roles.data)} />
          </Form.Item>
          <Form.Item name="team" label={t("staff.team")}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="hired_on" label={t("staff.hiredOn")} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="base_wage" label={t("staff.baseWage")} rules={[{ required: true }]}>
            <InputNumber<number> min={0} step={100} />
          </Form.Item>
          <Form.Item name="performance_wage" label={t("staff.performanceWage")}>
            <InputNumber<number> min={0} step={100} />
          </Form.Item>
          <Form.Item name="probation_until" label={t("staff.probationUntil")}>
            <DatePicker />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={leaving !== null}
        title={`${t("staff.leave")} ${leaving?.name ?? ""}`}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => leaveForm.submit()}
        confirmLoading={leave.isPending}
        onCancel={() => setLeaving(null)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={leaveForm} name="leaving" layout="vertical" onFinish={(values) => leaving && leave.mutate({ employee: leaving, on: values.left_on })}>
          <Form.Item name="left_on" label={t("staff.leftOn")} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
