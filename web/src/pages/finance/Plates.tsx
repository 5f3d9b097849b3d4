import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, DatePicker, Form, Input, Modal, Select, Space, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";

type Registration = components["schemas"]["Registration"];
type State = Registration["state"];
type Step = "papers" | "appointment" | "plate" | "mortgage";
interface StepForm {
  at?: Dayjs;
  office?: string;
  plate?: string;
  registered_on?: Dayjs;
  notarised_on?: Dayjs;
  mortgage_registered_on?: Dayjs;
}

const STATE_TONE: Record<string, string> = { open: TONE.blue, registered: TONE.cyan, completed: TONE.green, cancelled: TONE.grey };

/** The plate specialist's desk (上牌): every delivered car within its 15 days, its papers, the
 * appointment at the vehicle administration office, the plate; a financed car's mortgage after it. */
export default function Plates() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [state, setState] = useState<State | undefined>("open");
  const [overdue, setOverdue] = useState(false);
  const [working, setWorking] = useState<{ registration: Registration; step: Step } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<StepForm>();
  const list = useQuery({
    queryKey: ["registrations", state, overdue],
    queryFn: () =>
      call(api.GET("/api/v1/registrations", { params: { query: { state, overdue: overdue || undefined, limit: 100 } } })),
  });
  const current = working ? (list.data?.items ?? []).find((r) => r.id === working.registration.id) ?? working.registration : null;
  const refresh = () => void queries.invalidateQueries({ queryKey: ["registrations"] });
  const tick = useMutation({
    mutationFn: ({ registration, code, received }: { registration: Registration; code: string; received: boolean }) =>
      call(
        api.PUT("/api/v1/registrations/{registration_id}/documents/{code}", {
          params: { path: { registration_id: registration.id, code } },
          body: { received },
        }),
      ),
    onSuccess: refresh,
  });
  const act = useMutation({
    mutationFn: ({ registration, step, values }: { registration: Registration; step: Step; values: StepForm }) => {
      const params = { path: { registration_id: registration.id }, header: { "if-match": `"${registration.version}"` } };
      if (step === "appointment")
        return call(
          api.PUT("/api/v1/registrations/{registration_id}/appointment", {
            params,
            body: { at: (values.at ?? dayjs()).toISOString(), office: values.office ?? "" },
          }),
        );
      if (step === "plate")
        return call(
          api.POST("/api/v1/registrations/{registration_id}/plate", {
            params,
            body: { plate: values.plate ?? "", registered_on: values.registered_on?.format("YYYY-MM-DD") ?? null },
          }),
        );
      return call(
        api.POST("/api/v1/registrations/{registration_id}/mortgage", {
          params,
          body: {
            notarised_on: (values.notarised_on ?? dayjs()).format("YYYY-MM-DD"),
            mortgage_registered_on: (values.mortgage_registered_on ?? dayjs()).format("YYYY-MM-DD"),
          },
        }),
      );
    },
    onSuccess: (_, { step }) => {
      message.success(t(`plates.saved.${step}`));
      setWorking(null);
      refresh();
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const open = (registration: Registration, step: Step) => {
    setProblem(null);
    form.resetFields();
    form.setFieldsValue({ registered_on: dayjs(), notarised_on: dayjs(), mortgage_registered_on: dayjs(), office: registration.office ?? undefined });
    setWorking({ registration, step });
  };
  return (
    <Card
      title={<PageTitle>{t("plates.title")}</PageTitle>}
      extra={
        <Space wrap>
          <Select<State | undefined>
            aria-label={t("plates.state")}
            placeholder={t("plates.state")}
            allowClear
            style={{ width: 130 }}
            value={state}
            onChange={setState}
            options={(["open", "registered", "completed", "cancelled"] as const).map((s) => ({ value: s, label: t(`plates.states.${s}`) }))}
          />
          <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)}>
            {t("plates.overdueOnly")}
          </Checkbox>
        </Space>
      }
    >
      {list.error && <ProblemAlert error={list.error} what={t("plates.title")} onRetry={() => void list.refetch()} />}
      <Table<Registration>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 960 }}
        columns={[
          { title: t("loans.customer"), dataIndex: "customer_name" },
          { title: t("common.mobile"), dataIndex: "customer_mobile" },
          { title: "VIN", dataIndex: "vin" },
          { title: t("leads.model"), dataIndex: "model" },
          {
            title: t("plates.dueOn"),
            dataIndex: "due_on",
            render: (due: string, r) => (r.overdue ? <Tag color={TONE.red}>{`${due} ${t("plates.overdue")}`}</Tag> : due),
          },
          { title: t("plates.plate"), dataIndex: "plate", render: (p: string | null) => p ?? "—" },
          {
            title: t("plates.state"),
            dataIndex: "state",
            render: (s: string, r) => (
              <Space size={4} wrap>
                <Tag color={STATE_TONE[s]}>{t(`plates.states.${s}`)}</Tag>
                {r.financed && <Tag>{t("plates.financed")}</Tag>}
                {r.state === "open" && r.missing_documents.length > 0 && <Tag>{t("plates.missing", { count: r.missing_documents.length })}</Tag>}
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            render: (_: unknown, r) => (
              <Space wrap>
                {r.state === "open" && (
                  <>
                    <Button size="small" onClick={() => open(r, "papers")}>{t("plates.papers")}</Button>
                    <Button size="small" onClick={() => open(r, "appointment")}>{t("plates.appointment")}</Button>
                    <Button size="small" type="primary" onClick={() => open(r, "plate")}>{t("plates.recordPlate")}</Button>
                  </>
                )}
                {r.financed && r.state === "registered" && (
                  <Button size="small" type="primary" onClick={() => open(r, "mortgage")}>{t("plates.mortgage")}</Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={working !== null}
        title={current && working ? `${t(`plates.${working.step === "plate" ? "recordPlate" : working.step}`)} · ${current.customer_name}` : ""}
        okText={working?.step === "papers" ? t("common.close") : t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => (working?.step === "papers" ? setWorking(null) : form.submit())}
        confirmLoading={act.isPending}
        onCancel={() => setWorking(null)}
        destroyOnHidden
      >
        {problem !== null && <ProblemAlert error={problem} />}
        {tick.error && <ProblemAlert error={tick.error} />}
        {working?.step === "papers" && current && (
          <Space direction="vertical">
            {current.documents.map((d) => (
              <Checkbox key={d.code} checked={d.received} onChange={(e) => tick.mutate({ registration: current, code: d.code, received: e.target.checked })}>
                {d.label}
              </Checkbox>
            ))}
          </Space>
        )}
        <Form<StepForm> form={form} name="registration-step" layout="vertical" onFinish={(values) => current && working && act.mutate({ registration: current, step: working.step, values })}>
          {working?.step === "appointment" && (
            <>
              <Form.Item name="at" label={t("plates.appointmentAt")} rules={[{ required: true }]}>
                <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" />
              </Form.Item>
              <Form.Item name="office" label={t("plates.office")} rules={[{ required: true }]}>
                <Input maxLength={200} />
              </Form.Item>
            </>
          )}
          {working?.step === "plate" && (
            <Space wrap>
              <Form.Item name="plate" label={t("plates.plate")} rules={[{ required: true }]}>
                <Input maxLength={16} style={{ width: 160 }} placeholder="苏E·12345" />
              </Form.Item>
              <Form.Item name="registered_on" label={t("plates.registeredOn")}>
                <DatePicker />
              </Form.Item>
            </Space>
          )}
          {working?.step === "mortgage" && (
            <Space wrap>
              <Form.Item name="notarised_on" label={t("plates.notarisedOn")} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="mortgage_registered_on" label={t("plates.mortgageOn")} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
            </Space>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
