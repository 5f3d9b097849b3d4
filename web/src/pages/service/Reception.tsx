import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Descriptions, Form, Input, InputNumber, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/problem";
import { isPlate } from "../../api/vehicles";
import { useAuth } from "../../auth/AuthContext";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";

type ServiceType = components["schemas"]["RepairOrderIn"]["type"];
const TYPES: ServiceType[] = ["maintenance", "repair", "warranty", "accident"];
interface ReceptionForm {
  /** what the advisor typed: the VIN, or the plate read off the car */
  car: string;
  /** the VIN, asked for when the plate is one no car we know carries */
  vin?: string;
  /** the plate, recorded when the car has none on file */
  plate?: string;
  mileage_km: number;
  type: ServiceType;
  concerns: string;
  model?: string;
  owner?: { name: string; mobile: string };
}

/** Reception at the car: its VIN or its plate finds it (or registers a walk-in with its owner and
 * plate), and the order opens in the advisor's name. */
export function Reception({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [form] = Form.useForm<ReceptionForm>();
  const [typed, setTyped] = useState("");
  const [typedVin, setTypedVin] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const plateTyped = isPlate(typed);
  const byPlate = useQuery({
    queryKey: ["vehicles", "plate", typed],
    queryFn: () => call(api.GET("/api/v1/vehicles", { params: { query: { plate: typed } } })),
    enabled: open && plateTyped && typed.length >= 7,
    retry: false,
  });
  const plateCar = byPlate.data?.items[0];
  const plateUnknown = byPlate.data !== undefined && plateCar === undefined;
  const vin = plateTyped ? (plateCar?.vin ?? typedVin) : typed;
  const valid = /^[A-HJ-NPR-Z0-9]{17}$/.test(vin);
  const car = useQuery({
    queryKey: ["vehicle", vin],
    queryFn: () => call(api.GET("/api/v1/vehicles/{vin}", { params: { path: { vin } } })),
    enabled: open && valid && plateCar === undefined,
    retry: false,
  });
  const known = plateCar ?? car.data;
  const unknown = car.error instanceof ApiError && car.error.kind === "not_found";
  const openOrder = useMutation({
    mutationFn: async (values: ReceptionForm) => {
      const plate = plateTyped ? values.car : values.plate?.trim() || undefined;
      if (unknown && values.owner && values.model) {
        await call(api.POST("/api/v1/vehicles", { body: { vin, model: values.model, owner: values.owner, plate } }));
        // the car is known now: a retry after a refused order must not register it again
        await queries.refetchQueries({ queryKey: ["vehicle", vin] });
      } else if (plate && known && !known.plate) {
        await call(api.PUT("/api/v1/vehicles/{vin}/plate", { params: { path: { vin } }, body: { plate } }));
      }
      return call(
        api.POST("/api/v1/repair-orders", {
          body: {
            vin,
            advisor_no: me?.employee_no ?? "",
            mileage_km: values.mileage_km,
            type: values.type,
            concerns: values.concerns,
            opened_at: new Date().toISOString(),
          },
        }),
      );
    },
    onSuccess: (order) => {
      onClose();
      form.resetFields();
      navigate(`/service/repair-orders/${order.id}`);
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const notAPlate = byPlate.error instanceof ApiError && byPlate.error.kind === "invalid";
  return (
    <Modal
      open={open}
      title={t("repairOrders.reception")}
      okText={t("repairOrders.openOrder")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      confirmLoading={openOrder.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem !== null && <ProblemAlert error={problem} />}
      <Form<ReceptionForm>
        form={form}
        layout="vertical"
        initialValues={{ type: "maintenance" }}
        onValuesChange={(changed: Partial<ReceptionForm>) => {
          if (changed.car !== undefined) {
            const text = changed.car.trim();
            setTyped(isPlate(text) ? text : text.toUpperCase());
          }
          if (changed.vin !== undefined) setTypedVin(changed.vin.trim().toUpperCase());
        }}
        onFinish={(values) => {
          setProblem(null);
          openOrder.mutate(values);
        }}
      >
        <Form.Item
          name="car"
          label={t("repairOrders.vinOrPlate")}
          rules={[{ required: true }]}
          validateStatus={notAPlate ? "error" : undefined}
          help={notAPlate ? t("repairOrders.notAPlate") : undefined}
        >
          <Input maxLength={17} autoFocus style={{ textTransform: "uppercase" }} />
        </Form.Item>
        {plateUnknown && (
          <>
            <Alert type="info" showIcon title={t("repairOrders.plateUnknown")} style={{ marginBottom: 12 }} />
            <Form.Item name="vin" label={t("repairOrders.vin")} rules={[{ required: true }]}>
              <Input maxLength={17} style={{ textTransform: "uppercase" }} />
            </Form.Item>
          </>
        )}
        {known && (
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t("repairOrders.model")}>{known.model}</Descriptions.Item>
            <Descriptions.Item label={t("followUps.owner")}>
              {known.owner.name} {known.owner.mobile}
            </Descriptions.Item>
            <Descriptions.Item label={t("repairOrders.vin")}>{known.vin}</Descriptions.Item>
            <Descriptions.Item label={t("repairOrders.plate")}>{known.plate ?? t("repairOrders.noPlate")}</Descriptions.Item>
          </Descriptions>
        )}
        {!plateTyped && (unknown || (known && !known.plate)) && (
          <Form.Item name="plate" label={t("repairOrders.plate")}>
            <Input maxLength={16} />
          </Form.Item>
        )}
        {unknown && (
          <>
            <Alert type="info" showIcon title={t("repairOrders.walkIn")} style={{ marginBottom: 12 }} />
            <Form.Item name="model" label={t("repairOrders.model")} rules={[{ required: true }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name={["owner", "name"]} label={t("followUps.owner")} rules={[{ required: true }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name={["owner", "mobile"]} label={t("common.mobile")} rules={[{ required: true }]}>
              <Input inputMode="tel" maxLength={20} />
            </Form.Item>
          </>
        )}
        <Form.Item name="mileage_km" label={t("repairOrders.mileage")} rules={[{ required: true }]}>
          <InputNumber<number> min={0} precision={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="type" label={t("repairOrders.type")}>
          <Select options={TYPES.map((type) => ({ value: type, label: t(`repairOrders.types.${type}`) }))} />
        </Form.Item>
        <Form.Item name="concerns" label={t("repairOrders.concerns")} rules={[{ required: true }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
